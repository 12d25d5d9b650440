"""Import JSON and review it in a real browser: what is reviewed is what was seen.

A browser drops the line breaks of an input's value and posts a textarea's
line breaks as CR LF; only a real one shows what the form makes of them.
"""

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _import(page, live_server, tenant, data):
    page.goto(f"{live_server.url}/t/{tenant.slug}/pools/import/")
    page.fill("textarea[name=json_text]", json.dumps(data))
    page.get_by_role("button", name="Prefill the form").click()
    page.wait_for_load_state("networkidle")


def _review(page):
    page.get_by_role("button", name="Review").click()
    page.wait_for_load_state("networkidle")
    return json.loads(page.get_by_test_id("request-json").inner_text())


def test_imported_line_breaks_review_as_shown(
    page, live_server, login, operator, tenant
):
    login("oscar")
    _import(
        page,
        live_server,
        tenant,
        {
            "PoolName": "Line\nbreak pool",
            "EmailVerificationSubject": "Your\ncode",
            "AdminCreateUserConfig": {
                "InviteMessageTemplate": {
                    "SMSMessage": "Hi {username}\nYour password: {####}"
                }
            },
            "Schema": [{"Name": "plan", "AttributeDataType": "String"}],
        },
    )
    assert page.input_value("#id_pool_name") == "Line break pool"
    assert page.input_value("#id_email_verification_subject") == "Your code"
    invite = page.input_value("#id_invite_sms_message")
    assert invite == "Hi {username}\nYour password: {####}"
    note = page.locator('[data-import-note="pool_name"]')
    assert "replaced by a space" in note.inner_text()
    assert page.locator('[data-import-note="schema-0-mutable"]').is_visible()

    request = _review(page)
    assert request["PoolName"] == "Line break pool"
    assert request["EmailVerificationSubject"] == "Your code"
    template = request["AdminCreateUserConfig"]["InviteMessageTemplate"]
    assert template["SMSMessage"] == "Hi {username}\nYour password: {####}"
    assert request["Policies"]["PasswordPolicy"]["RequireSymbols"] is True
    assert request["Schema"][0]["Mutable"] is True

    # And back to edit, the message is still the one imported.
    page.get_by_role("button", name="Back to edit").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_invite_sms_message") == invite
    again = _review(page)
    for reviewed in (again, request):
        del reviewed["UserPoolTags"]  # a new attempt tag per review
    assert again == request
