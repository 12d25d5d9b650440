"""The design pages: review, drafts, import, roles and session expiry."""

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from poolconsole.audit.models import AuditEvent
from poolconsole.pools.forms import PoolDesignForm
from poolconsole.pools.models import PoolDraft
from poolconsole.pools.views import PENDING_DESIGN_KEY
from tests.credentials.factories import AwsConnectionFactory
from tests.factories import TEST_PASSWORD

from .design_data import FULL_REQUEST, full_design, management, minimal_design, row


def url(name, tenant, *args):
    return reverse(f"pools:{name}", args=[tenant.slug, *args])


def make_draft(tenant, name="Draft", payload=None, author=None):
    return PoolDraft.objects.create(
        tenant=tenant,
        name=name,
        payload=payload if payload is not None else {"pool_name": [name]},
        author=author,
    )


@pytest.mark.django_db
def test_new_pool_page_renders_every_fieldset(operator_client, tenant):
    response = operator_client.get(url("new", tenant))
    assert response.status_code == 200
    content = response.content.decode()
    legends = [
        "Basics",
        "Sign-in and attributes",
        "Password policy",
        "MFA and devices",
        "Messages",
        "Email and SMS delivery",
        "Admin-created users and invitations",
        "Lambda triggers",
        "Schema attributes",
    ]
    positions = [content.index(legend) for legend in legends]
    assert positions == sorted(positions)
    assert "<template data-formset-empty>" in content
    assert "schema-__prefix__-name" in content
    assert content.count("<form ") == 2  # the design form and the logout form


@pytest.mark.django_db
def test_new_design_starts_on_the_tenants_only_connection(
    operator_client, tenant, other_tenant
):
    def chosen():
        page = operator_client.get(url("new", tenant)).content.decode()
        select = re.search(r'<select name="connection".*?</select>', page, re.S)
        return re.findall(r'<option value="(\d*)"[^>]* selected>', select.group())

    assert chosen() == [""]  # none yet: the blank choice
    AwsConnectionFactory(tenant=other_tenant, name="Not theirs")
    only = AwsConnectionFactory(tenant=tenant, name="Only")
    assert chosen() == [str(only.pk)]
    archived = AwsConnectionFactory(tenant=tenant, name="Old")
    archived.archived_at = archived.created_at
    archived.save()
    assert chosen() == [str(only.pk)]
    # With two, the user chooses.
    AwsConnectionFactory(tenant=tenant, name="Second")
    assert chosen() == [""]


def test_design_sections_lay_out_every_field_once():
    laid_out = [name for _, names in PoolDesignForm.SECTIONS for name in names]
    assert sorted(laid_out) == sorted(PoolDesignForm.base_fields)
    assert set(laid_out) >= PoolDesignForm.INDENTED


@pytest.mark.django_db
def test_new_pool_page_labels_every_field(operator_client, tenant):
    response = operator_client.get(url("new", tenant))
    content, form = response.content.decode(), response.context["form"]
    for field in form:
        if field.widget_type == "checkboxselectmultiple":
            for choice in field:
                assert f'for="{choice.id_for_label}"' in content
        else:
            assert f'for="{field.id_for_label}"' in content, field.name
        if field.help_text:
            assert f'id="{field.auto_id}_helptext"' in content, field.name


@pytest.mark.django_db
def test_review_sends_the_users_tags_with_poolconsoles_own(operator_client, tenant):
    response = operator_client.post(
        url("new", tenant),
        {**full_design(), "user_pool_tags": "team=identity\nenv=prod"},
    )
    shown = json.loads(response.context["request_json"])
    key = str(response.context["idempotency_key"])
    assert shown["UserPoolTags"] == {
        "team": "identity",
        "env": "prod",
        "poolconsole:attempt": key,
    }


@pytest.mark.django_db
def test_review_shows_exact_request_and_immutable_choices(operator_client, tenant):
    response = operator_client.post(url("new", tenant), full_design())
    assert response.status_code == 200
    assert response.templates[0].name == "pools/review.html"
    shown = json.loads(response.context["request_json"])
    key = str(response.context["idempotency_key"])
    # The exact request, with the tag that finds the pool after a lost answer.
    assert shown == {
        **FULL_REQUEST,
        "UserPoolTags": {**FULL_REQUEST["UserPoolTags"], "poolconsole:attempt": key},
    }
    content = response.content.decode()
    assert "aws cognito-idp create-user-pool --cli-input-json file://pool.json" in (
        content
    )
    immutable = response.context["immutable"]
    assert "Pool name: Customers EU" in immutable
    assert "Alias attributes: email, preferred_username" in immutable
    assert "Required attributes: email" in immutable
    assert (
        "Schema attribute seats (stored as custom:seats) (Number), immutable"
        in immutable
    )
    # Cognito names a developer-only attribute dev:custom:<name>.
    assert any("(stored as dev:custom:internal_id)" in line for line in immutable)
    assert any("cannot be removed" in line for line in immutable)
    assert "{% block create_action %}" not in content


@pytest.mark.django_db
def test_back_to_edit_posts_every_value_back(operator_client, tenant):
    review = operator_client.post(url("new", tenant), full_design())
    hidden = {}
    for key, value in review.context["hidden"]:
        hidden.setdefault(key, []).append(value)
    hidden["action"] = "edit"
    response = operator_client.post(url("new", tenant), hidden)
    assert response.templates[0].name == "pools/design.html"
    form = response.context["form"]
    formset = response.context["formset"]
    assert form["pool_name"].value() == "Customers EU"
    assert formset.forms[2]["name"].value() == "seats"
    assert formset.request == FULL_REQUEST


@pytest.mark.django_db
def test_invalid_design_rerenders_with_errors_and_values(operator_client, tenant):
    data = minimal_design(
        password_minimum_length="3",
        **management(2),
        **row(0, name="plan", attribute_data_type="String"),
        **row(1, name="much_too_long_attribute_name", attribute_data_type="String"),
    )
    response = operator_client.post(url("new", tenant), data)
    assert response.status_code == 200
    assert response.templates[0].name == "pools/design.html"
    content = response.content.decode()
    assert 'value="much_too_long_attribute_name"' in content
    assert 'value="3"' in content

    # The fields in error are marked for the eye and for screen readers.
    def tag(name):
        return re.search(rf'<input[^>]*name="{name}"[^>]*>', content).group(0)

    for name in ("password_minimum_length", "schema-1-name"):
        assert 'class="form-control is-invalid"' in tag(name)
        assert 'aria-invalid="true"' in tag(name)
        assert f'id="id_{name}_error"' in content
    assert "is-invalid" not in tag("pool_name")
    assert "password_minimum_length" in response.context["form"].errors
    assert "name" in response.context["formset"].forms[1].errors
    assert not PoolDraft.objects.exists()


@pytest.mark.django_db
def test_error_summary_links_each_error_to_its_field(operator_client, tenant):
    data = minimal_design(
        pool_name="",
        alias_attributes=["not-an-attribute"],
        **management(3),
        **row(0, name="gone", DELETE="on"),
        **row(1, name="much_too_long_attribute_name", attribute_data_type="String"),
        **row(2, name="plan"),
    )
    content = operator_client.post(url("new", tenant), data).content.decode()
    summary = content[content.index('data-testid="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    links = [
        (href, html.unescape(text))
        for href, text in re.findall(
            r'<a class="alert-link" href="#([^"]+)">([^<]*)</a>', summary
        )
    ]
    # In page order; rows by their number as shown, the removed row not counted.
    assert [(href, text.split(":")[0]) for href, text in links] == [
        ("id_pool_name", "Pool name"),
        ("id_alias_attributes_0", "Alias attributes"),
        ("id_schema-1-name", "Attribute 1, Custom name"),
        ("id_schema-2-attribute_data_type", "Attribute 2, Data type"),
    ]
    for href, _ in links:
        assert f'id="{href}"' in content
    titles = re.findall(
        r'<strong class="me-auto" id="schema-\d-title">(.*?)</strong>', content
    )
    assert [re.sub(r"<[^>]+>", "", title) for title in titles] == [
        "Removed attribute",
        "Attribute 1",
        "Attribute 2",
    ]
    # Enter in a field submits with the first submit button: Review.
    form = content[content.index('data-testid="design-form"') :]
    first_submit = re.search(r'<button type="submit"[^>]*>', form).group(0)
    assert 'name="action" value="review"' in first_submit


@pytest.mark.django_db
def test_add_row_without_javascript_adds_one_row(operator_client, tenant):
    data = minimal_design(
        **management(1), **row(0, name="plan", attribute_data_type="String")
    )
    data["add_row"] = "1"
    response = operator_client.post(url("new", tenant), data)
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    assert formset.forms[0]["name"].value() == "plan"
    assert formset.forms[1]["mutable"].value() is True
    assert not formset.forms[1].errors  # adding a row is not a submission


@pytest.mark.django_db
def test_add_row_without_javascript_stops_at_cognitos_limit(operator_client, tenant):
    # 50 rows shown and one removed: the removed one does not count.
    rows = {}
    for index in range(51):
        rows.update(row(index, name=f"a{index}", attribute_data_type="String"))
    rows["schema-0-DELETE"] = "on"
    data = minimal_design(**management(51), **rows)
    data["add_row"] = "1"
    response = operator_client.post(url("new", tenant), data, follow=True)
    assert response.context["formset"].total_form_count() == 51
    assert "Cognito takes at most 50 attributes" in response.content.decode()

    data["schema-1-DELETE"] = "on"
    response = operator_client.post(url("new", tenant), data)
    assert response.context["formset"].total_form_count() == 52


@pytest.mark.django_db
def test_save_draft_keeps_invalid_input_and_audits(operator_client, operator, tenant):
    data = minimal_design(pool_name="", password_minimum_length="nope")
    data["action"] = "save"
    response = operator_client.post(url("new", tenant), data)
    draft = PoolDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("draft", tenant, draft.pk)
    assert draft.tenant == tenant
    assert draft.author == operator
    assert draft.name == "Untitled design"
    assert draft.payload["password_minimum_length"] == ["nope"]
    assert "csrfmiddlewaretoken" not in draft.payload
    assert "action" not in draft.payload
    event = AuditEvent.objects.get(action="draft.saved")
    assert event.tenant == tenant
    assert event.target_id == str(draft.pk)

    reopened = operator_client.get(url("draft", tenant, draft.pk))
    assert reopened.context["form"]["password_minimum_length"].value() == "nope"
    assert "password_minimum_length" in reopened.context["form"].errors


@pytest.mark.django_db
def test_saving_a_reopened_draft_overwrites_it(operator_client, tenant):
    draft = make_draft(tenant)
    data = minimal_design(pool_name="Renamed", action="save")
    response = operator_client.post(url("draft", tenant, draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Renamed"
    assert PoolDraft.objects.count() == 1


@pytest.mark.django_db
def test_review_of_a_draft_posts_back_to_the_draft(operator_client, tenant):
    draft = make_draft(tenant)
    response = operator_client.post(url("draft", tenant, draft.pk), minimal_design())
    assert response.context["form_action"] == url("draft", tenant, draft.pk)


@pytest.mark.django_db
def test_draft_list_and_duplicate_and_delete(operator_client, operator, tenant):
    draft = make_draft(tenant, "Customers", full_design_payload())
    listing = operator_client.get(url("drafts", tenant))
    assert "Customers" in listing.content.decode()
    assert "Customers" in operator_client.get(url("list", tenant)).content.decode()

    response = operator_client.post(url("draft_duplicate", tenant, draft.pk))
    copy = PoolDraft.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == url("draft", tenant, copy.pk)
    assert copy.payload == draft.payload
    assert copy.name == "Copy of Customers"
    saved = AuditEvent.objects.get(action="draft.saved")
    assert saved.data["duplicate_of"] == draft.pk

    response = operator_client.post(url("draft_delete", tenant, draft.pk))
    assert response["Location"] == url("drafts", tenant)
    assert not PoolDraft.objects.filter(pk=draft.pk).exists()
    deleted = AuditEvent.objects.get(action="draft.deleted")
    assert deleted.target_id == str(draft.pk)
    assert deleted.target_repr == "Customers"


def full_design_payload():
    return {k: (v if isinstance(v, list) else [v]) for k, v in full_design().items()}


@pytest.mark.django_db
def test_reopened_full_draft_reviews_to_the_same_request(operator_client, tenant):
    draft = make_draft(tenant, "Customers", full_design_payload())
    response = operator_client.get(url("draft", tenant, draft.pk))
    assert response.context["formset"].request == FULL_REQUEST


@pytest.mark.django_db
def test_viewer_can_list_drafts_but_not_design(viewer_client, tenant):
    draft = make_draft(tenant, "Customers")
    listing = viewer_client.get(url("drafts", tenant))
    assert listing.status_code == 200
    assert "Customers" in listing.content.decode()
    assert "Duplicate" not in listing.content.decode()
    assert viewer_client.get(url("list", tenant)).status_code == 200
    assert viewer_client.post(url("new", tenant), minimal_design()).status_code == 403
    assert viewer_client.get(url("new", tenant)).status_code == 403
    assert viewer_client.get(url("draft", tenant, draft.pk)).status_code == 403
    assert viewer_client.post(url("draft_delete", tenant, draft.pk)).status_code == 403
    assert (
        viewer_client.post(url("draft_duplicate", tenant, draft.pk)).status_code == 403
    )
    assert viewer_client.post(url("import", tenant), {}).status_code == 403
    assert PoolDraft.objects.count() == 1


@pytest.mark.django_db
def test_other_tenants_draft_is_404(operator_client, tenant, other_tenant):
    theirs = make_draft(other_tenant, "Theirs")
    assert operator_client.get(url("draft", tenant, theirs.pk)).status_code == 404
    assert (
        operator_client.post(url("draft_delete", tenant, theirs.pk)).status_code == 404
    )
    assert (
        operator_client.post(url("draft_duplicate", tenant, theirs.pk)).status_code
        == 404
    )
    assert "Theirs" not in operator_client.get(url("drafts", tenant)).content.decode()
    assert PoolDraft.objects.count() == 1


@pytest.mark.django_db
def test_post_after_session_expiry_is_restored_after_login(client, operator, tenant):
    data = minimal_design(
        pool_name="Typed before expiry",
        **management(1),
        **row(0, name="plan", attribute_data_type="String"),
    )
    response = client.post(url("new", tenant), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]
    assert client.session[PENDING_DESIGN_KEY]["path"] == url("new", tenant)

    login = client.post(
        reverse("login"),
        {
            "username": operator.username,
            "password": TEST_PASSWORD,
            "next": url("new", tenant),
        },
    )
    assert login.status_code == 302
    assert login["Location"] == url("new", tenant)

    restored = client.get(url("new", tenant))
    assert restored.context["form"]["pool_name"].value() == "Typed before expiry"
    assert restored.context["formset"].forms[0]["name"].value() == "plan"
    # Shown once: a later visit starts afresh.
    again = client.get(url("new", tenant))
    assert again.context["form"]["pool_name"].value() is None


@pytest.mark.django_db
def test_pasted_import_json_is_kept_across_session_expiry(client, operator, tenant):
    pasted = json.dumps({"PoolName": "Pasted before expiry"})
    response = client.post(url("import", tenant), {"json_text": pasted})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    client.post(
        reverse("login"),
        {"username": operator.username, "password": TEST_PASSWORD},
    )
    restored = client.get(url("import", tenant))
    assert restored.context["import_form"]["json_text"].value() == pasted
    assert "Your session had expired" in restored.content.decode()
    # Importing it then prefills the design as usual.
    imported = client.post(url("import", tenant), {"json_text": pasted})
    assert imported.context["form"]["pool_name"].value() == "Pasted before expiry"
    assert client.get(url("import", tenant)).context["import_form"][
        "json_text"
    ].value() in (None, "")


@pytest.mark.django_db
def test_a_post_without_a_login_keeps_only_the_design(client, tenant):
    # The kept post lives in an anonymous session: only the design form's
    # own fields are kept, each no longer than any value Cognito takes.
    junk = {f"junk{index}": "x" * 1000 for index in range(200)}
    client.post(
        url("new", tenant),
        {
            **minimal_design(pool_name="Kept"),
            **row(0, name="plan"),
            **row(70, name="past the last row"),
            "invite_email_message": "y" * 200_000,
            **junk,
        },
    )
    payload = client.session[PENDING_DESIGN_KEY]["payload"]
    assert payload["pool_name"] == ["Kept"]
    assert payload["schema-0-name"] == ["plan"]
    assert not [key for key in payload if key.startswith("junk")]
    assert "schema-70-name" not in payload
    assert "csrfmiddlewaretoken" not in payload
    assert len(payload["invite_email_message"][0]) == 140_000


@pytest.mark.django_db
def test_pending_design_of_another_path_is_not_restored(client, operator, tenant):
    client.post(url("new", tenant), minimal_design(pool_name="Elsewhere"))
    client.force_login(operator)
    draft = make_draft(tenant)
    response = client.get(url("draft", tenant, draft.pk))
    assert response.context["form"]["pool_name"].value() == "Draft"


@pytest.mark.django_db
def test_import_prefills_the_form_and_shows_import_notes(operator_client, tenant):
    pasted = json.dumps(
        {
            "PoolName": "Imported",
            "MfaConfiguration": "OFF",
            "Schema": [{"Name": "plan", "AttributeDataType": "String"}],
            "NotAParameter": 1,
        }
    )
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.status_code == 200
    assert response.templates[0].name == "pools/design.html"
    assert response.context["form"]["pool_name"].value() == "Imported"
    assert response.context["formset"].forms[0]["name"].value() == "plan"
    assert response.context["form_action"] == url("new", tenant)
    assert response.context["import_problems"]
    assert "NotAParameter" in response.content.decode()


@pytest.mark.django_db
def test_import_starts_on_the_tenants_only_connection(operator_client, tenant):
    pasted = json.dumps({"PoolName": "Imported"})
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.context["form"]["connection"].value() is None
    sole = AwsConnectionFactory(tenant=tenant)
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.context["form"]["connection"].value() == str(sole.pk)
    # With two, the user chooses.
    AwsConnectionFactory(tenant=tenant)
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.context["form"]["connection"].value() is None


@pytest.mark.django_db
def test_import_notes_show_beside_their_fields(operator_client, tenant):
    pasted = json.dumps(
        {
            "PoolName": "p",
            "Policies": {"PasswordPolicy": {"RequireUppercase": "true"}},
            "Schema": [{"Name": "plan", "AttributeDataType": "String"}],
        }
    )
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    page = response.content.decode()
    form = response.context["form"]
    assert form["password_require_uppercase"].value() is True
    assert response.context["formset"].forms[0]["mutable"].value() is True
    uppercase = page.index('data-import-note="password_require_uppercase"')
    assert page.index('id="div_id_password_require_uppercase"') < uppercase
    assert uppercase < page.index('id="div_id_password_require_lowercase"')
    assert 'data-import-note="schema-0-mutable"' in page
    assert "the JSON gives the text &quot;true&quot;, not true or false" in page


@pytest.mark.django_db
def test_import_then_review_sends_cognitos_defaults_for_booleans_left_out(
    operator_client, tenant
):
    pasted = json.dumps(
        {
            "PoolName": "p",
            "Schema": [
                {"Name": "plan", "AttributeDataType": "String"},
                {"Name": "email", "Required": True},
            ],
        }
    )
    imported = operator_client.post(url("import", tenant), {"json_text": pasted})
    data = {
        key: values
        for key, values in imported.context["form"].data.lists()
        if not key.startswith("csrf")
    }
    review = operator_client.post(url("new", tenant), {**data, "action": "review"})
    assert review.templates[0].name == "pools/review.html"
    sent = json.loads(review.context["request_json"])
    assert sent["Policies"]["PasswordPolicy"] == {
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
    }
    assert [entry["Mutable"] for entry in sent["Schema"]] == [True, True]


@pytest.mark.django_db
def test_import_shows_a_message_line_break_in_a_textarea(operator_client, tenant):
    pasted = json.dumps(
        {
            "PoolName": "Line\nbreak pool",
            "EmailVerificationSubject": "Your\ncode",
            "AdminCreateUserConfig": {
                "InviteMessageTemplate": {
                    "SMSMessage": "Hi {username}\nYour password: {####}"
                }
            },
        }
    )
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    page = response.content.decode()
    assert re.search(
        r'<textarea name="invite_sms_message"[^>]*>\nHi \{username\}\n'
        r"Your password: \{####\}</textarea>",
        page,
    )
    assert 'name="pool_name" value="Line break pool"' in page
    assert 'data-import-note="pool_name"' in page
    assert 'data-import-note="email_verification_subject"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("total", [55, 61, 5000])
def test_import_of_too_many_schema_entries_shows_cognitos_limit_and_other_errors(
    operator_client, tenant, total
):
    pasted = json.dumps(
        {
            "PoolName": "p%",
            "MfaConfiguration": "ON",
            "Schema": [
                {"Name": f"c{i}", "AttributeDataType": "String", "Mutable": True}
                for i in range(total)
            ],
        }
    )
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please submit" not in page
    shown = min(total, 60)
    assert f"Cognito allows at most 50 entries here; this has {shown}." in page
    assert "Use only letters" in page  # the pool name's error
    assert "MFA ON sends codes by SMS" in page
    assert len(set(re.findall(r'name="schema-(\d+)-name"', page))) == shown
    notes = {p.path: p.message for p in response.context["import_problems"]}
    if total > 60:
        which = (
            "Schema.60 (c60) was"
            if total == 61
            else f"the last {total - 60}, Schema.60 to Schema.{total - 1} "
            "(c60, c61, c62, c63, c64, …), were"
        )
        assert notes["Schema"] == (
            f"Schema: the JSON has {total} entries, but the form holds at most 60 "
            f"rows, so {which} not imported. Cognito allows at most 50 entries."
        )
        assert 'name="schema-TOTAL_FORMS" value="60"' in page
    else:
        assert "Schema" not in notes


@pytest.mark.django_db
def test_import_fills_the_tags_field(operator_client, tenant):
    pasted = json.dumps({"PoolName": "p", "UserPoolTags": {"team": "identity"}})
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.context["form"]["user_pool_tags"].value() == "team=identity"
    assert "UserPoolTags" not in str(response.context["import_problems"])


@pytest.mark.django_db
def test_import_describe_user_pool_upload(operator_client, tenant):
    described = {
        "UserPool": {
            "Id": "eu-west-1_abc",
            "Name": "Described",
            "Arn": "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc",
            "MfaConfiguration": "OFF",
            "SchemaAttributes": [
                {"Name": "custom:plan", "AttributeDataType": "String"}
            ],
        }
    }
    upload = SimpleUploadedFile(
        "pool.json", json.dumps(described).encode(), "application/json"
    )
    response = operator_client.post(url("import", tenant), {"json_file": upload})
    assert response.status_code == 200
    assert response.context["form"]["pool_name"].value() == "Described"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pasted,message",
    [
        ("", "Paste JSON"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be an object"),
        ("[" * 100000, "not valid JSON"),
    ],
)
def test_import_rejects_what_is_not_a_json_object(
    operator_client, tenant, pasted, message
):
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pasted,path",
    [
        ('{"PoolName": "p \\ud800"}', "PoolName"),
        ('{"PoolName": "p", "SmsVerificationMessage": "{####} \\udc00"}', None),
        (
            '{"PoolName": "p", "SmsConfiguration": {"SnsCallerArn": '
            '"arn:aws:iam::123456789012:role/x", "ExternalId": "\\udc00"}}',
            "SmsConfiguration.ExternalId",
        ),
        ('{"PoolName": "p", "Foo\\ud800": 1}', "Foo\\ud800"),
        ('{"UserPool": {"Name": "p", "Tags": ["\\udfff"]}}', "UserPool.Tags.0"),
    ],
)
def test_import_refuses_a_lone_surrogate_naming_where_it_is(
    operator_client, tenant, pasted, path
):
    response = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert response.status_code == 200
    assert response.templates[0].name == "pools/import.html"
    errors = response.context["import_form"].non_field_errors()
    path = path or "SmsVerificationMessage"
    assert any(e.startswith(f"{path}: Remove \\u") for e in errors), errors
    # What was pasted is kept, to fix.
    assert response.context["import_form"]["json_text"].value() == pasted
    assert "lone surrogate" in response.content.decode()


@pytest.mark.django_db
def test_field_errors_of_a_failed_create_show_at_their_fields(operator_client, tenant):
    data = minimal_design(
        **management(2),
        **row(0, name="plan", attribute_data_type="String"),
        **row(1, name="tier", attribute_data_type="String"),
    )
    draft = make_draft(tenant, "Customers", {k: [v] for k, v in data.items()})
    session = operator_client.session
    session["pool_create_field_errors"] = {
        "Schema.1.Name": "Member must have length less than or equal to 20",
        "PoolName": "Pool name taken",
        "Policies": 5,
    }
    session.save()
    response = operator_client.get(url("draft", tenant, draft.pk))
    form = response.context["form"]
    formset = response.context["formset"]
    assert form.errors["pool_name"] == ["AWS: Pool name taken"]
    assert formset.forms[1].errors["name"] == [
        "AWS: Member must have length less than or equal to 20"
    ]
    assert "pool_create_field_errors" not in operator_client.session
    again = operator_client.get(url("draft", tenant, draft.pk))
    assert not again.context["form"].errors


@pytest.mark.django_db
def test_warnings_show_beside_their_field_and_on_the_review(operator_client, tenant):
    data = minimal_design(email_verification_message="Hi {username}, code {####}")
    response = operator_client.post(url("new", tenant), data)
    assert response.templates[0].name == "pools/review.html"
    assert response.context["warnings"]
    data["action"] = "edit"
    edit = operator_client.post(url("new", tenant), data).content.decode()
    assert 'data-warning="email_verification_message"' in edit


@pytest.mark.django_db
def test_pools_page_offers_new_pool_to_operators_only(operator_client, tenant, viewer):
    page = operator_client.get(url("list", tenant)).content.decode()
    assert url("new", tenant) in page
    operator_client.force_login(viewer)
    page = operator_client.get(url("list", tenant)).content.decode()
    assert url("new", tenant) not in page


@pytest.mark.django_db
def test_row_warning_shows_beside_the_row_field(operator_client, tenant):
    data = minimal_design(
        action="edit",
        **management(1),
        **row(0, name="custom:plan", attribute_data_type="String"),
    )
    page = operator_client.post(url("new", tenant), data).content.decode()
    assert 'data-warning="name"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field", ["password_minimum_length", "unused_account_validity_days"]
)
def test_a_number_wrapped_in_a_separator_character_is_an_error_not_a_500(
    operator_client, tenant, field
):
    # str.strip() removes U+001C..U+001F, which int() refuses.
    data = {**minimal_design(), field: "\x1c8"}
    assert operator_client.post(url("new", tenant), data).status_code == 200
    saved = operator_client.post(url("new", tenant), {**data, "action": "save"})
    assert saved.status_code == 302
    assert operator_client.get(saved["Location"]).status_code == 200
    pasted = json.dumps(
        {"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": "\u001f8"}}}
    )
    imported = operator_client.post(url("import", tenant), {"json_text": pasted})
    assert imported.status_code == 200


@pytest.mark.django_db
def test_a_long_non_english_design_is_kept_across_session_expiry(client, tenant):
    # JSON escapes each non-ASCII character as six: the limit counts them as one.
    body = "確認コードは {####} です。" + "ご利用ありがとうございます。" * 1400
    tags = "\n".join(f"{i:02d}{'キ' * 126}={'値' * 256}" for i in range(49))
    invite = "{username} さん、仮パスワードは {####} です。" + "ようこそ。" * 3900
    data = minimal_design(
        email_verification_message=body,
        invite_email_message=invite,
        user_pool_tags=tags,
    )
    client.post(url("new", tenant), data)
    payload = client.session[PENDING_DESIGN_KEY]["payload"]
    assert payload["user_pool_tags"] == [tags]


@pytest.mark.django_db
def test_a_draft_keeps_a_valid_external_id_of_any_length(operator_client, tenant):
    external_id = "e" * 131_072  # Cognito's longest value
    data = minimal_design(
        sms_sns_caller_arn="arn:aws:iam::123456789012:role/sms",
        sms_external_id=external_id,
        action="save",
    )
    saved = operator_client.post(url("new", tenant), data)
    reopened = operator_client.get(saved["Location"])
    assert reopened.context["form"]["sms_external_id"].value() == external_id
