"""MembershipModelBackend: the session's user is read with their memberships."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from poolconsole.tenants.backends import MembershipModelBackend
from poolconsole.tenants.models import Role

from ..factories import MembershipFactory, TenantFactory, UserFactory, tenant_opened

pytestmark = pytest.mark.django_db


def _read(user_id):
    with CaptureQueriesContext(connection) as ctx:
        user = MembershipModelBackend().get_user(user_id)
    return user, ctx.captured_queries


def test_it_is_the_backend_sessions_use():
    assert (
        "poolconsole.tenants.backends.MembershipModelBackend"
        in settings.AUTHENTICATION_BACKENDS
    )
    assert (
        "django.contrib.auth.backends.ModelBackend"
        not in settings.AUTHENTICATION_BACKENDS
    )


def test_a_member_is_read_with_their_memberships_in_one_query():
    user = UserFactory(username="mia")
    MembershipFactory(user=user, tenant=TenantFactory(name="Zulu", slug="zulu"))
    MembershipFactory(
        user=user, tenant=TenantFactory(name="Echo", slug="echo"), role=Role.ADMIN
    )
    MembershipFactory(tenant=TenantFactory(name="Kilo", slug="kilo"))  # another's

    read, queries = _read(user.pk)

    assert len(queries) == 1
    assert read == user
    assert [(m.tenant.slug, m.role) for m in read.memberships_read] == [
        ("echo", Role.ADMIN),
        ("zulu", Role.VIEWER),
    ]
    assert all(m.user is read for m in read.memberships_read)


def test_a_user_of_no_tenant_is_read_alone():
    user = UserFactory(username="nobody")

    read, queries = _read(user.pk)

    assert read == user
    assert read.memberships_read == []
    assert len(queries) == 2


@pytest.mark.parametrize("member", [True, False])
def test_an_inactive_user_is_not_read(member):
    user = UserFactory(username="gone", is_active=False)
    if member:
        MembershipFactory(user=user)

    assert _read(user.pk)[0] is None


def test_an_unknown_user_is_not_read():
    assert _read(987654)[0] is None


def test_a_tenant_page_reads_the_user_and_memberships_once(admin_client, tenant):
    tenant_opened(admin_client, tenant)
    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get(
            reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
        )
    assert response.status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert sum('FROM "tenants_membership"' in sql for sql in sqls) == 1
    assert not any('FROM "auth_user"' in sql for sql in sqls)


def test_a_removed_membership_is_gone_on_the_next_request(admin_client, tenant, user):
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    assert admin_client.get(url).status_code == 200
    user.memberships.all().delete()
    assert admin_client.get(url).status_code == 404


def test_a_changed_password_still_ends_other_sessions(admin_client, tenant, user):
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    assert admin_client.get(url).status_code == 200
    user.set_password("a-new-password-entirely")
    user.save()
    response = admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
