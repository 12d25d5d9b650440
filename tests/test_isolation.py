"""Walk every URL pattern of the URLconf and prove tenant isolation.

Patterns are discovered, not listed, so a new view is covered the day it is
added. A tenant URL is requested with another tenant's slug, and with the
user's own slug but another tenant's object ids: both must answer 404 to GET
and POST and change nothing. A URL kwarg this test cannot fill, or a global
URL it does not know, fails the test: teach it below.
"""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.credentials.factories import AwsConnectionFactory
from tests.factories import MembershipFactory, UserFactory, tenant_opened

# Global (non-tenant) URL names, and whether anonymous users may see them.
GLOBAL_URLS = {
    "home": False,
    "login": True,
    "logout": False,
    "password_change": False,
    "password_change_done": False,
}


def _membership(tenant):
    return MembershipFactory(tenant=tenant, user=UserFactory()).pk


def _audit_event(tenant):
    from django.db import transaction

    from poolconsole.audit.services import audit_record

    with transaction.atomic():
        return audit_record(tenant=tenant, action="test.isolation").pk


def _connection(tenant):
    return AwsConnectionFactory(tenant=tenant).pk


def _draft(tenant):
    from poolconsole.pools.models import PoolDraft

    return PoolDraft.objects.create(
        tenant=tenant, name="Draft", payload={"pool_name": ["Draft"]}
    ).pk


def _pool(tenant):
    from tests.provisioning.factories import UserPoolFactory

    return UserPoolFactory(tenant=tenant).pk


def _attempt(tenant):
    from tests.provisioning.factories import CreateAttemptFactory

    return CreateAttemptFactory(tenant=tenant).pk


# kwarg name -> function(tenant) that creates an object of tenant, returns its id.
OBJECT_FACTORIES = {
    "membership_id": _membership,
    "event_id": _audit_event,
    "connection_id": _connection,
    "draft_id": _draft,
    "pool_id": _pool,
    "attempt_id": _attempt,
}


def discover(resolver=None, prefix="", namespace=None, kwargs=()):
    """Yield (view name, kwarg names) of every URL pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        converters = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from discover(entry, prefix, full_ns, kwargs + converters)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, kwargs + converters


def all_patterns():
    return sorted(set(discover()))


def tenant_patterns():
    return [(n, k) for n, k in all_patterns() if "tenant_slug" in k]


def global_patterns():
    return [(n, k) for n, k in all_patterns() if "tenant_slug" not in k]


def snapshot():
    """Return every row of every model of ours, to prove nothing changed."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {
            "tenants",
            "audit",
            "credentials",
            "pools",
            "auth",
        }:
            manager = model._base_manager
            rows[model._meta.label] = sorted(map(repr, manager.values_list()))
    return rows


# Django's admin site is for superusers and spans tenants; any ids will do.
ADMIN_KWARGS = {
    "object_id": "1",
    "id": "1",
    "content_type_id": 1,
    "app_label": "auth",
    "url": "x",
}


def build_kwargs(kwarg_names, *, slug, object_tenant, admin=False):
    kwargs = {}
    for name in kwarg_names:
        if admin:
            kwargs[name] = ADMIN_KWARGS[name]
        elif name == "tenant_slug":
            kwargs[name] = slug
        elif name in OBJECT_FACTORIES:
            kwargs[name] = OBJECT_FACTORIES[name](object_tenant)
        else:
            pytest.fail(
                f"The isolation test cannot fill URL kwarg {name!r}: add a factory."
            )
    return kwargs


def expected_get_status(url):
    """Return 404, or 405 for a POST-only view (which says nothing of existence)."""
    view = resolve(url).func
    view_class = getattr(view, "view_class", None)
    if view_class is not None and "get" not in view_class.http_method_names:
        return 405
    return 404


def test_every_url_is_classified():
    for name, _kwargs in global_patterns():
        if name.startswith("admin:"):
            continue
        assert name in GLOBAL_URLS, (
            f"Unclassified global URL {name!r}: is it tenant-scoped?"
        )
    for name, kwarg_names in tenant_patterns():
        for kwarg in kwarg_names:
            assert kwarg == "tenant_slug" or kwarg in OBJECT_FACTORIES, (name, kwarg)


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwarg_names", tenant_patterns(), ids=lambda v: str(v))
def test_other_tenants_slug_answers_404(
    admin_client, tenant, other_tenant, name, kwarg_names
):
    url = reverse(
        name,
        kwargs=build_kwargs(
            kwarg_names, slug=other_tenant.slug, object_tenant=other_tenant
        ),
    )
    before = snapshot()
    assert admin_client.get(url).status_code == 404, url
    assert admin_client.post(url, {"name": "x", "role": "admin"}).status_code == 404, (
        url
    )
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,kwarg_names",
    [(n, k) for n, k in tenant_patterns() if len(k) > 1],
    ids=lambda v: str(v),
)
def test_other_tenants_object_answers_404(
    admin_client, tenant, other_tenant, name, kwarg_names
):
    url = reverse(
        name,
        kwargs=build_kwargs(kwarg_names, slug=tenant.slug, object_tenant=other_tenant),
    )
    # Entering one's own tenant notes it once per session (last_opened_at):
    # done before the snapshot, which must then see nothing change.
    tenant_opened(admin_client, tenant)
    before = snapshot()
    assert admin_client.get(url).status_code == expected_get_status(url), url
    assert admin_client.post(url, {"name": "x", "role": "admin"}).status_code == 404, (
        url
    )
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwarg_names", all_patterns(), ids=lambda v: str(v))
def test_login_required_everywhere(client, tenant, name, kwarg_names):
    if name == "login" or name == "admin:login":
        return
    kwargs = build_kwargs(
        kwarg_names,
        slug=tenant.slug,
        object_tenant=tenant,
        admin=name.startswith("admin:"),
    )
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302, url
    assert "login" in response["Location"], url
