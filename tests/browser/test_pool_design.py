"""Design a pool in a real browser: rows, an error at its row, the review."""

import json

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rows(page):
    return page.locator("[data-schema-row]:visible")


def test_design_rows_error_at_row_fix_and_review(
    page, live_server, login, operator, tenant
):
    login("oscar")
    page.goto(f"{live_server.url}/t/{tenant.slug}/pools/new/")
    page.fill("input[name=pool_name]", "Browser customers")
    page.check("input[name=alias_attributes][value=email]")

    add = page.get_by_role("button", name="Add attribute row")
    for _ in range(3):
        add.click()
    assert rows(page).count() == 3
    assert page.input_value("#id_schema-TOTAL_FORMS") == "3"

    # Row 0: the standard email attribute, required.
    page.select_option("#id_schema-0-kind", "standard")
    assert page.locator("#id_schema-0-name").is_hidden()
    page.select_option("#id_schema-0-standard_name", "email")
    page.check("#id_schema-0-required")
    # Row 1: removed again.
    page.fill("#id_schema-1-name", "throwaway")
    rows(page).nth(1).get_by_role("button", name="Remove").click()
    assert rows(page).count() == 2
    assert page.is_checked("#id_schema-1-DELETE")
    # Row 2: a Number with an error (min > max), developer-only.
    page.fill("#id_schema-2-name", "seats")
    assert page.locator("#id_schema-2-min_value").is_hidden()
    page.select_option("#id_schema-2-attribute_data_type", "Number")
    assert page.locator("#id_schema-2-min_value").is_visible()
    assert page.locator("#id_schema-2-min_length").is_hidden()
    page.check("#id_schema-2-developer_only")
    assert (
        page.locator("#id_schema-2-name")
        .locator("xpath=preceding-sibling::span")
        .inner_text()
        == "dev:custom:"
    )
    page.fill("#id_schema-2-min_value", "10")
    page.fill("#id_schema-2-max_value", "5")

    page.get_by_role("button", name="Review").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("error-summary").is_visible()
    # The error is at row 2's constraint, and every value is kept.
    row2 = page.locator("[data-schema-row]").nth(2)
    assert row2.locator(".invalid-feedback").count() >= 1
    assert page.input_value("input[name=pool_name]") == "Browser customers"
    assert page.is_checked("input[name=alias_attributes][value=email]")
    assert page.input_value("#id_schema-0-standard_name") == "email"
    assert page.is_checked("#id_schema-0-required")
    assert page.input_value("#id_schema-2-name") == "seats"
    assert page.input_value("#id_schema-2-min_value") == "10"
    assert page.input_value("#id_schema-2-max_value") == "5"
    assert page.is_checked("#id_schema-2-developer_only")
    # The removed row stays removed (and hidden).
    assert page.is_checked("#id_schema-1-DELETE")
    assert rows(page).count() == 2
    screenshot(page, "design")

    page.fill("#id_schema-2-max_value", "500")
    page.get_by_role("button", name="Review").click()
    page.wait_for_load_state("networkidle")
    request = json.loads(page.get_by_test_id("request-json").inner_text())
    assert request["PoolName"] == "Browser customers"
    assert request["AliasAttributes"] == ["email"]
    assert request["Schema"] == [
        {
            "Name": "email",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": True,
        },
        {
            "Name": "seats",
            "AttributeDataType": "Number",
            "DeveloperOnlyAttribute": True,
            "Mutable": True,
            "Required": False,
            "NumberAttributeConstraints": {"MinValue": "10", "MaxValue": "500"},
        },
    ]
    assert (
        "create-user-pool --cli-input-json"
        in page.get_by_test_id("cli-command").inner_text()
    )
    screenshot(page, "review")

    page.get_by_role("button", name="Back to edit").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_schema-2-max_value") == "500"


def test_phone_width_design_page_has_no_horizontal_scroll(
    phone_login, live_server, operator, tenant
):
    page = phone_login("oscar")
    page.goto(f"{live_server.url}/t/{tenant.slug}/pools/new/")
    page.get_by_role("button", name="Add attribute row").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def open_design(page, live_server, login, tenant):
    login("oscar")
    page.goto(f"{live_server.url}/t/{tenant.slug}/pools/new/")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_enter_in_a_field_reviews_and_adds_no_row(
    page, live_server, login, operator, tenant
):
    open_design(page, live_server, login, tenant)
    page.fill("input[name=pool_name]", "Enter customers")
    page.get_by_role("button", name="Add attribute row").click()
    page.fill("#id_schema-0-name", "seats")
    page.select_option("#id_schema-0-attribute_data_type", "String")

    # Enter submits with the form's first submit button: Review, not "Add".
    with page.expect_navigation():
        page.press("#id_schema-0-name", "Enter")
    request = json.loads(page.get_by_test_id("request-json").inner_text())
    assert request["PoolName"] == "Enter customers"
    assert [entry["Name"] for entry in request["Schema"]] == ["seats"]


def test_a_failed_review_takes_the_focus_to_a_summary_linking_each_error(
    page, live_server, login, operator, tenant
):
    open_design(page, live_server, login, tenant)
    add = page.get_by_role("button", name="Add attribute row")
    add.click()
    add.click()
    page.fill("#id_schema-0-name", "gone")
    rows(page).first.get_by_role("button", name="Remove").click()
    # Row schema-1, shown first, has no name or type; the pool no name.
    page.get_by_role("button", name="Review", exact=True).click()
    page.wait_for_load_state("networkidle")

    summary = page.get_by_test_id("error-summary")
    assert focused_id(page) == "error-summary"
    links = summary.get_by_role("link")
    texts = links.all_inner_texts()
    assert texts[0].startswith("Pool name: ")
    # Rows are named by their position as shown: the removed row is not counted.
    row_errors = [t for t in texts if t.startswith("Attribute ")]
    assert row_errors and all(t.startswith("Attribute 1, ") for t in row_errors)
    assert rows(page).first.locator("strong").first.inner_text() == "Attribute 1"

    links.first.click()
    assert focused_id(page) == "id_pool_name"
    summary.get_by_role("link", name="Attribute 1, Custom name").click()
    assert focused_id(page) == "id_schema-1-name"


def test_rows_are_numbered_and_removing_one_by_keyboard_keeps_the_focus(
    page, live_server, login, operator, tenant
):
    open_design(page, live_server, login, tenant)
    add = page.get_by_role("button", name="Add attribute row")
    for _ in range(3):
        add.click()
    # The focus goes to the new row.
    assert focused_id(page) == "id_schema-2-kind"
    titles = rows(page).locator("strong[id$='-title']")
    assert titles.all_inner_texts() == ["Attribute 1", "Attribute 2", "Attribute 3"]
    status = page.locator("[data-formset-status]")

    page.get_by_role("button", name="Remove attribute 2", exact=True).focus()
    page.keyboard.press("Enter")
    assert titles.all_inner_texts() == ["Attribute 1", "Attribute 2"]
    assert page.is_checked("#id_schema-1-DELETE")
    # The row that took its place has the focus, and the change is announced.
    assert focused_id(page) == "id_schema-2-kind"
    assert status.inner_text() == "Attribute 2 removed; 2 attributes left."
    assert (
        page.get_by_role("button", name="Remove attribute 2", exact=True).count() == 1
    )

    # The last row removed: the focus goes to "Add attribute row".
    page.get_by_role("button", name="Remove attribute 2", exact=True).focus()
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.hasAttribute('data-formset-add')")
    assert status.inner_text() == "Attribute 2 removed; 1 attribute left."


def test_add_row_stops_at_cognitos_limit_of_fifty_attributes(
    page, live_server, login, operator, tenant
):
    open_design(page, live_server, login, tenant)
    add = page.get_by_role("button", name="Add attribute row")
    limit = page.locator("#schema-limit")
    assert limit.is_hidden()
    # Clicked in the page: 55 of Playwright's clicks would take seconds.
    page.evaluate(
        "for (let i = 0; i < 55; i++)"
        " document.querySelector('[data-formset-add]').click()"
    )
    assert rows(page).count() == 50
    assert page.input_value("#id_schema-TOTAL_FORMS") == "50"
    assert add.is_disabled()
    assert limit.is_visible()
    assert "At most 50 attributes" in limit.inner_text()

    rows(page).last.get_by_role("button", name="Remove").click()
    assert add.is_enabled()
    assert limit.is_hidden()
