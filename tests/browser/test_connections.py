"""An admin adds an AWS connection, tests it against moto's server, edits it."""

import socket

import pytest

from poolconsole.credentials.models import AwsConnection
from tests.browser.conftest import screenshot
from tests.credentials.factories import AwsConnectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_ID = "AKIABROWSERTEST7890"
SECRET = "browser-canary-secret-0123456789abcdef"  # noqa: S105


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def add_connection(page, live_server, tenant, *, name, endpoint):
    page.goto(f"{live_server.url}/t/{tenant.slug}/connections/")
    page.get_by_role("link", name="New connection").click()
    page.fill("input[name=name]", name)
    page.select_option("select[name=region]", "us-east-1")
    page.check("input[name=auth_mode][value=access_keys]")
    page.fill("input[name=access_key_id]", KEY_ID)
    page.fill("input[name=secret_access_key]", SECRET)
    page.fill("input[name=endpoint_url]", endpoint)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")


def test_add_test_and_edit_a_connection_without_seeing_its_secret(
    page, live_server, login, user, tenant, moto_server
):
    login("alice")
    add_connection(page, live_server, tenant, name="Sandbox", endpoint=moto_server)
    assert "Connection Sandbox saved." in page.content()
    connection = AwsConnection.objects.get(name="Sandbox")
    assert "/edit/" in page.url

    # Write-only: the edit page never sends the secrets back.
    assert page.input_value("input[name=secret_access_key]") == ""
    assert page.input_value("input[name=access_key_id]") == ""
    assert SECRET not in page.content() and KEY_ID not in page.content()

    page.get_by_role("button", name="Test connection").click()
    page.wait_for_load_state("networkidle")
    assert "Sandbox:" in page.locator(".alert-success").inner_text()

    page.goto(f"{live_server.url}/t/{tenant.slug}/connections/")
    row = page.get_by_test_id("connections").locator("tr", has_text="Sandbox")
    assert "working" in row.inner_text()
    assert f"…{KEY_ID[-4:]}" in row.inner_text()
    assert SECRET not in page.content()
    screenshot(page, "connections")
    connection.refresh_from_db()
    assert connection.last_test_ok is True


def test_a_connection_to_an_unreachable_endpoint_fails_its_test_clearly(
    page, live_server, login, user, tenant, allow_endpoint
):
    login("alice")
    endpoint = allow_endpoint(f"http://127.0.0.1:{closed_port()}")
    add_connection(page, live_server, tenant, name="Nowhere", endpoint=endpoint)
    page.get_by_role("button", name="Test connection").click()
    page.wait_for_load_state("networkidle")
    error = page.locator(".alert-danger").inner_text()
    assert error.startswith("Nowhere:")
    assert "Traceback" not in page.content()
    page.goto(f"{live_server.url}/t/{tenant.slug}/connections/")
    row = page.get_by_test_id("connections").locator("tr", has_text="Nowhere")
    assert "failing" in row.inner_text()


def test_on_a_phone_the_actions_of_a_connection_are_on_screen(
    phone_login, live_server, user, tenant
):
    AwsConnectionFactory(tenant=tenant, name="Phone sandbox")
    page = phone_login("alice")
    page.goto(f"{live_server.url}/t/{tenant.slug}/connections/")
    row = page.get_by_test_id("connections").locator("tr", has_text="Phone sandbox")
    for action in [
        row.get_by_role("link", name="Edit"),
        row.get_by_role("button", name="Test"),
        row.get_by_role("button", name="Archive"),
    ]:
        box = action.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
