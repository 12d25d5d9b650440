"""The navbar is cached for what it shows: every change of that shows at once."""

import re

import pytest
from django.urls import reverse

from poolconsole.tenants.models import Role
from tests.factories import MembershipFactory, TenantFactory, UserFactory


def navbar(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def dashboard(tenant) -> str:
    return reverse("dashboard", kwargs={"tenant_slug": tenant.slug})


@pytest.mark.django_db
def test_each_user_sees_their_own_name_tenants_and_role(client, tenant, user, viewer):
    client.force_login(user)
    assert ">alice</a>" in navbar(client, dashboard(tenant))
    client.force_login(viewer)
    nav = navbar(client, dashboard(tenant))
    assert ">victor</a>" in nav and ">alice</a>" not in nav
    assert ">viewer</span>" in nav and "Members" not in nav


@pytest.mark.django_db
def test_the_active_link_follows_the_page(admin_client, tenant):
    def active(url):
        nav = navbar(admin_client, url)
        return re.findall(r'class="nav-link active"[^>]*>([^<]+)<', nav)

    assert active(dashboard(tenant)) == ["Dashboard"]
    pools = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    assert active(pools) == ["Pools"]
    audit = reverse("audit:list", kwargs={"tenant_slug": tenant.slug})
    assert active(audit) == ["Audit history"]


@pytest.mark.django_db
def test_a_new_role_tenant_name_or_membership_shows_at_once(admin_client, tenant, user):
    url = dashboard(tenant)
    assert "Members" in navbar(admin_client, url)
    membership = user.memberships.get(tenant=tenant)
    # Demoted by another admin: the Members link goes.
    MembershipFactory(tenant=tenant, role=Role.ADMIN, user=UserFactory())
    membership.role = Role.OPERATOR
    membership.save()
    nav = navbar(admin_client, url)
    assert "Members" not in nav and ">operator</span>" in nav
    tenant.name = "Alpha Renamed"
    tenant.save()
    assert "Alpha Renamed" in navbar(admin_client, url)
    MembershipFactory(tenant=TenantFactory(name="Charlie", slug="charlie"), user=user)
    assert "Charlie" in navbar(admin_client, url)


@pytest.mark.django_db
def test_a_staff_user_gets_the_admin_link_at_once(admin_client, tenant, user):
    url = dashboard(tenant)
    assert "Admin site" not in navbar(admin_client, url)
    user.is_staff = True
    user.save()
    assert "Admin site" in navbar(admin_client, url)


@pytest.mark.django_db
def test_log_out_works_from_a_navbar_another_browser_cached(client, tenant, user):
    """The CSRF token is the browser's own, never the cached page's."""
    first, second = (type(client)(enforce_csrf_checks=True) for _ in range(2))
    url = dashboard(tenant)
    for browser in (first, second):
        browser.force_login(user)
        browser.get(reverse("login"))  # a CSRF cookie of its own
    navbar(first, url)  # renders and caches the navbar
    nav = navbar(second, url)  # the same user's navbar, from the cache
    token = re.search(
        r'action="/accounts/logout/"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        nav,
    )
    assert token, "the logout form has no CSRF token"
    response = second.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert "_auth_user_id" not in second.session
