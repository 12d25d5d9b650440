"""The history, an event and the dashboard in a real browser, under the CSP."""

import pytest
from django.db import transaction

from poolconsole.audit.services import audit_record
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_history_detail_and_dashboard_render_without_csp_violations(
    page,
    live_server,
    login,
    user,
    tenant,
    tmp_path,
):
    with transaction.atomic():
        for i in range(60):
            audit_record(
                tenant=tenant,
                actor=user,
                action="pool.create.failed" if i % 3 else "pool.create.succeeded",
                target_type="pool",
                target_id=i,
                target_repr=f"pool-{i}",
                data={"request": {"PoolName": f"pool-{i}"}, "response": {"i": i}},
                outcome="failure" if i % 3 else "success",
            )
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    login("alice")

    page.goto(f"{live_server.url}/t/{tenant.slug}/")
    assert page.get_by_test_id("creation-chart").is_visible()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    page.goto(f"{live_server.url}/t/{tenant.slug}/audit/")
    assert page.get_by_test_id("audit-events").locator("tbody tr").count() == 50
    screenshot(page, "audit-history")
    page.get_by_test_id("older").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("audit-events").locator("tbody tr").count() == 10
    page.get_by_test_id("newer").click()
    page.wait_for_load_state("networkidle")
    page.fill("input[name=target]", "pool:4")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    rows = page.get_by_test_id("audit-events").locator("tbody tr")
    assert rows.count() == 1
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)
    rows.first.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    assert '"PoolName": "pool-4"' in page.get_by_test_id("audit-request").inner_text()
    page.screenshot(path=str(tmp_path / "detail.png"), full_page=True)

    # /favicon.ico answers 404; only CSP refusals matter here.
    assert [p for p in problems if "Content Security Policy" in p] == []


def test_on_a_phone_the_history_scrolls_sideways_with_readable_targets(
    phone_login, live_server, user, tenant
):
    with transaction.atomic():
        for repr_ in ["Local sandbox", "customers-production-eu-west-1"]:
            audit_record(
                tenant=tenant,
                actor=user,
                action="connection.tested",
                target_type="awsconnection",
                target_id=1,
                target_repr=repr_,
                data={},
                outcome="success",
            )
    page = phone_login("alice")
    page.goto(f"{live_server.url}/t/{tenant.slug}/audit/")
    table = page.get_by_test_id("audit-events")
    # The table scrolls inside its box; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert table.evaluate("t => t.closest('.table-responsive').scrollWidth") > 390
    target = table.locator("tbody tr").first.locator("td").nth(3)
    assert target.bounding_box()["width"] >= 150
    # The type on its own line, whole words: two or three lines, not eight.
    for row in table.locator("tbody tr").all():
        assert row.bounding_box()["height"] < 110
    assert "awsconnection\n" in target.inner_text()
