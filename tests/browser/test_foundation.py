"""Log in, switch tenant and see the dashboard, in a real browser."""

import pytest

from poolconsole.tenants.models import Role
from tests.browser.conftest import screenshot
from tests.factories import MembershipFactory, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_switch_tenant_and_see_dashboard(page, live_server, login, user, tenant):
    second = TenantFactory(name="Zulu Team", slug="zulu")
    MembershipFactory(tenant=second, user=user, role=Role.VIEWER)

    page.goto(f"{live_server.url}/t/{tenant.slug}/")
    assert "/accounts/login/" in page.url  # login required
    screenshot(page, "login")

    login("alice")
    assert page.url.endswith(f"/t/{tenant.slug}/")
    assert page.get_by_test_id("dashboard-title").inner_text() == "Alpha"

    page.get_by_test_id("tenant-switcher").get_by_role("button").or_(
        page.get_by_test_id("tenant-switcher").locator("a.dropdown-toggle")
    ).first.click()
    page.get_by_role("link", name="Zulu Team").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/t/zulu/")
    assert page.get_by_test_id("dashboard-title").inner_text() == "Zulu Team"
    # A viewer sees no Members link.
    assert page.get_by_role("link", name="Members").count() == 0


def test_wrong_password_shows_the_error(page, live_server, login, user):
    login("alice", "not the password")
    assert "/accounts/login/" in page.url
    assert "correct username and password" in page.content()


def test_phone_sized_viewport_has_a_menu_toggle(phone_login, live_server, user, tenant):
    page = phone_login("alice")
    toggle = page.locator(".navbar-toggler")
    assert toggle.is_visible()
    toggle.click()
    page.get_by_role("link", name="Audit history").wait_for(state="visible")
