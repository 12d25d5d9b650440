"""Fixtures shared by every test: tenants, members of each role, clients."""

import os

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled

from poolconsole.integrations import aws
from poolconsole.tenants.models import Role

from .factories import MembershipFactory, TenantFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache (the dashboard caches its counts)
    and no kept AWS client (tests register hooks on the clients they get)."""
    cache.clear()
    aws.forget_clients()
    yield


@pytest.fixture(autouse=True)
def _no_scopes():
    """Let tests set up data freely; views still run inside their tenant's scope."""
    with scopes_disabled():
        yield


@pytest.fixture
def tenant(db):
    return TenantFactory(name="Alpha", slug="alpha")


@pytest.fixture
def other_tenant(db):
    return TenantFactory(name="Bravo", slug="bravo")


def _member(tenant, role, username):
    return MembershipFactory(
        tenant=tenant, role=role, user=UserFactory(username=username)
    ).user


@pytest.fixture
def user(tenant):
    """An admin of ``tenant``."""
    return _member(tenant, Role.ADMIN, "alice")


@pytest.fixture
def operator(tenant):
    return _member(tenant, Role.OPERATOR, "oscar")


@pytest.fixture
def viewer(tenant):
    return _member(tenant, Role.VIEWER, "victor")


@pytest.fixture
def admin_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def allow_endpoint(settings):
    """Return a function that lists an endpoint URL for the test.

    Emulators of the tests run on free ports, which test settings cannot
    list in POOLCONSOLE_ENDPOINT_URLS beforehand.
    """

    def allow(url: str) -> str:
        settings.POOLCONSOLE_ENDPOINT_URLS = [*settings.POOLCONSOLE_ENDPOINT_URLS, url]
        return url

    return allow
