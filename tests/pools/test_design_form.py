"""The design form and formset: exact request, errors and warnings in place."""

import pytest
from django.http import QueryDict

from poolconsole.pools.forms import (
    bind_design,
    design_is_valid,
    design_warnings,
    field_for_path,
)
from poolconsole.pools.requests import MAX_SCHEMA_ROWS, request_from_forms

from .design_data import FULL_REQUEST, full_design, management, minimal_design, row

NON_FIELD = "__all__"


def as_querydict(data: dict) -> QueryDict:
    qd = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            qd.setlist(key, value)
        else:
            qd[key] = value
    return qd


def bound(tenant, data):
    form, formset = bind_design(tenant=tenant, data=as_querydict(data))
    valid = design_is_valid(form, formset)
    return valid, form, formset


def errors_of(form, formset):
    return {
        "form": dict(form.errors),
        "rows": [dict(r.errors) for r in formset.forms],
        "formset": list(formset.non_form_errors()),
    }


@pytest.mark.django_db
def test_pool_design_accepts_full_design_and_builds_exact_request(tenant):
    valid, form, formset = bound(tenant, full_design())
    assert valid, errors_of(form, formset)
    assert request_from_forms(form, formset) == FULL_REQUEST
    assert formset.request == FULL_REQUEST


@pytest.mark.django_db
def test_pool_design_defaults_build_a_small_request(tenant):
    valid, form, formset = bound(tenant, minimal_design())
    assert valid, errors_of(form, formset)
    assert formset.request == {
        "PoolName": "Customers",
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
        "MfaConfiguration": "OFF",
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": False,
            "UnusedAccountValidityDays": 7,
        },
    }


@pytest.mark.django_db
def test_unbound_form_shows_cognitos_defaults(tenant):
    form, formset = bind_design(tenant=tenant)
    assert form["password_minimum_length"].value() == "8"
    assert form["password_require_symbols"].value() is True
    assert form["mfa_configuration"].value() == "OFF"
    assert form["allow_admin_create_user_only"].value() is False
    assert form["unused_account_validity_days"].value() == "7"
    assert "(Cognito's default)" in form.fields["password_minimum_length"].help_text
    assert formset.total_form_count() == 0


@pytest.mark.django_db
def test_pool_name_is_the_only_required_field(tenant):
    valid, form, formset = bound(tenant, minimal_design(pool_name=""))
    assert not valid
    assert list(form.errors) == ["pool_name"]
    assert len(form.errors["pool_name"]) == 1


@pytest.mark.django_db
def test_schema_name_error_lands_at_its_row_name_field(tenant):
    data = minimal_design(
        **management(3),
        **row(0, name="plan", attribute_data_type="String"),
        **row(1, name="tier", attribute_data_type="String"),
        **row(2, name="x" * 21, attribute_data_type="String"),
    )
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert not form.errors
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors == {}
    assert list(formset.forms[2].errors) == ["name"]


@pytest.mark.django_db
def test_schema_errors_skip_deleted_rows_when_mapping_indexes(tenant):
    # Row 0 is deleted, so request Schema.1 is formset row 2.
    data = minimal_design(
        **management(3),
        **row(0, name="gone", attribute_data_type="String", DELETE="on"),
        **row(1, name="plan", attribute_data_type="String"),
        **row(2, name="big", attribute_data_type="Number", required="on"),
    )
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert [e.get("Name") for e in formset.request["Schema"]] == ["plan", "big"]
    assert list(formset.forms[2].errors) == ["required"]
    assert formset.forms[0].errors == {}


@pytest.mark.django_db
def test_standard_attribute_name_error_lands_at_standard_name(tenant):
    data = minimal_design(**management(1), **row(0, kind="standard"))
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert "standard_name" in formset.forms[0].errors


@pytest.mark.django_db
def test_standard_attribute_keeps_its_type(tenant):
    data = minimal_design(
        **management(1),
        **row(0, kind="standard", standard_name="email", attribute_data_type="Number"),
    )
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert "attribute_data_type" in formset.forms[0].errors


@pytest.mark.django_db
def test_duplicate_names_are_an_error_at_a_row_or_the_formset(tenant):
    data = minimal_design(
        **management(2),
        **row(0, name="plan", attribute_data_type="String"),
        **row(1, name="plan", attribute_data_type="String"),
    )
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert formset.total_error_count() >= 1
    assert not form.errors


@pytest.mark.django_db
def test_blank_added_row_is_an_error_not_dropped(tenant):
    data = minimal_design(**management(1), **row(0))
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert formset.forms[0].errors


@pytest.mark.django_db
def test_mfa_on_without_sms_configuration_is_an_error_where_it_can_be_fixed(tenant):
    valid, form, formset = bound(tenant, minimal_design(mfa_configuration="ON"))
    assert not valid
    assert set(form.errors) & {"mfa_configuration", "sms_sns_caller_arn"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [
        ("password_minimum_length", "5"),
        ("password_minimum_length", "100"),
        ("password_minimum_length", "eight"),
        ("unused_account_validity_days", "366"),
        ("sms_verification_message", "no code here"),
        ("invite_sms_message", "Password {####}"),
        ("lambda_pre_sign_up", "not-an-arn"),
        ("pool_name", "x" * 129),
        ("email_verification_subject", "x" * 141),
    ],
)
def test_field_errors_land_at_their_field(tenant, field, value):
    valid, form, formset = bound(tenant, minimal_design(**{field: value}))
    assert not valid
    assert field in form.errors, errors_of(form, formset)
    # The value typed is kept for the user to fix.
    assert form[field].value() == value


@pytest.mark.django_db
def test_warnings_do_not_block(tenant):
    data = minimal_design(
        email_verification_message="Hi {username}, code {####}",
        **management(1),
        **row(0, name="custom:plan", attribute_data_type="String"),
    )
    valid, form, formset = bound(tenant, data)
    assert valid, errors_of(form, formset)
    assert "email_verification_message" in form.warnings
    assert "name" in formset.forms[0].warnings
    assert "Warning:" in form.fields["email_verification_message"].help_text
    lines = design_warnings(form, formset)
    assert any(line.startswith("Attribute 1, Custom name") for line in lines)


@pytest.mark.django_db
def test_warnings_number_the_attributes_as_shown(tenant):
    # The first row is removed: the second is the first the user sees.
    data = minimal_design(
        **management(2),
        **row(0, name="gone:", attribute_data_type="String", DELETE="on"),
        **row(1, name="custom:plan", attribute_data_type="String"),
    )
    valid, form, formset = bound(tenant, data)
    assert valid, errors_of(form, formset)
    assert [n for n, _ in formset.numbered_rows()] == [None, 1]
    lines = [line for line in design_warnings(form, formset) if "custom:" in line]
    assert lines and all(line.startswith("Attribute 1, Custom name") for line in lines)


@pytest.mark.django_db
def test_values_are_kept_after_errors(tenant):
    data = full_design()
    data["schema-2-name"] = "x" * 30
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert form["pool_name"].value() == "Customers EU"
    assert form["alias_attributes"].value() == ["email", "preferred_username"]
    assert formset.forms[2]["name"].value() == "x" * 30
    assert formset.forms[2]["max_value"].value() == "500"
    assert formset.forms[3]["developer_only"].value() is True


@pytest.mark.django_db
def test_connection_choices_are_the_tenants_active_connections(tenant, other_tenant):
    from django.utils import timezone

    from poolconsole.credentials.models import AwsConnection

    mine = AwsConnection.objects.create(tenant=tenant, name="prod", region="eu-west-1")
    AwsConnection.objects.create(
        tenant=tenant, name="old", region="eu-west-1", archived_at=timezone.now()
    )
    AwsConnection.objects.create(tenant=other_tenant, name="theirs", region="us-east-1")
    form, _ = bind_design(tenant=tenant)
    assert list(form.fields["connection"].queryset) == [mine]


def test_field_for_path_maps_parents_to_a_field():
    assert field_for_path("PoolName") == "pool_name"
    assert field_for_path("SmsConfiguration") == "sms_sns_caller_arn"
    assert field_for_path("DeviceConfiguration") == "device_tracking"
    assert field_for_path("AliasAttributes.1") == "alias_attributes"
    assert (
        field_for_path("AdminCreateUserConfig.InviteMessageTemplate.SMSMessage")
        == "invite_sms_message"
    )
    assert field_for_path("UserPoolTags.team") == "user_pool_tags"
    assert field_for_path("UsernameAttributes") is None
    assert field_for_path("") is None


@pytest.mark.django_db
def test_each_problem_path_lands_where_the_user_can_fix_it(tenant, monkeypatch):
    from poolconsole.pools import forms
    from poolconsole.pools.validation import Problem

    problems = [
        Problem("", "whole request", "error"),
        Problem("UsernameAttributes", "not in the form", "error"),
        Problem("UserPoolTags.team", "tag", "error"),
        Problem("Schema", "too many", "error"),
        Problem("Schema.0", "row problem", "error"),
        Problem("Schema.1.Name", "standard name", "error"),
        Problem("Schema.0.StringAttributeConstraints", "constraints", "error"),
        Problem("Schema.9.Name", "no such row", "error"),
        Problem("SmsConfiguration", "sms needed", "error"),
        Problem("Policies.PasswordPolicy.MinimumLength", "length", "warning"),
        Problem("Schema", "schema warning", "warning"),
        Problem("Schema.0.Name", "prefix", "warning"),
    ]
    monkeypatch.setattr(forms, "validate_request", lambda request: problems)
    data = minimal_design(
        **management(2),
        **row(0, name="plan", attribute_data_type="String"),
        **row(1, kind="standard", standard_name="email"),
    )
    valid, form, formset = bound(tenant, data)
    assert not valid
    assert form.errors[NON_FIELD] == ["whole request", "not in the form"]
    assert form.errors["sms_sns_caller_arn"] == ["sms needed"]
    assert form.errors["user_pool_tags"] == ["tag"]
    assert list(formset.non_form_errors()) == ["too many", "no such row"]
    assert formset.forms[0].errors[NON_FIELD] == ["row problem"]
    assert formset.forms[0].errors["min_length"] == ["constraints"]
    assert formset.forms[1].errors["standard_name"] == ["standard name"]
    assert form.warnings == {"password_minimum_length": ["length"]}
    assert formset.warnings == ["schema warning"]
    assert formset.forms[0].warnings == {"name": ["prefix"]}


@pytest.mark.django_db
@pytest.mark.parametrize("total", [61, 5000])
def test_rows_past_the_form_limit_leave_every_other_error_shown(tenant, total):
    data = minimal_design(
        pool_name="p%",
        mfa_configuration="ON",
        **management(total),
    )
    for index in range(min(total, MAX_SCHEMA_ROWS + 1)):
        data.update(row(index, name=f"c{index}", attribute_data_type="String"))
    form, formset = bind_design(tenant=tenant, data=data)
    assert not design_is_valid(form, formset)
    errors = list(formset.non_form_errors())
    assert not any("Please submit" in e for e in errors)
    assert errors == [
        f"This design has {total} attribute rows, but the form holds at most 60: "
        f"the rows after row 60 ({total - 60} of them) are not shown and will be "
        "left out. Cognito allows at most 50 Schema entries.",
        "Cognito allows at most 50 entries here; this has 60. Remove 10.",
    ]
    # The design's other errors are still found, at their fields.
    assert "pool_name" in form.errors
    assert "sms_sns_caller_arn" in form.errors
    assert len(formset.forms) == 60
    # The page posts back the rows it shows.
    assert 'name="schema-TOTAL_FORMS" value="60"' in str(formset.management_form)


@pytest.mark.django_db
def test_a_custom_row_cannot_take_a_standard_attributes_name(tenant):
    # Cognito would make the standard email, not a custom attribute.
    data = minimal_design(
        **management(1), **row(0, name="email", attribute_data_type="String")
    )
    valid, form, formset = bound(tenant, data)
    assert not valid
    [message] = formset.forms[0].errors["name"]
    assert "standard attributes" in message and "Kind Standard" in message
    assert formset.forms[0]["name"].value() == "email"
    # Chosen as a standard attribute, it is fine.
    valid, form, formset = bound(
        tenant,
        minimal_design(
            **management(1), **row(0, kind="standard", standard_name="email")
        ),
    )
    assert valid, errors_of(form, formset)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field",
    [
        "device_challenge_required_on_new_device",
        "device_only_remembered_on_user_prompt",
    ],
)
def test_a_device_option_without_device_tracking_is_not_dropped_silently(tenant, field):
    valid, form, formset = bound(tenant, minimal_design(**{field: "on"}))
    assert valid, errors_of(form, formset)
    assert "DeviceConfiguration" not in formset.request
    [warning] = form.warnings[field]
    assert "Remember users' devices" in warning
    # With tracking on, the option is sent and nothing is said.
    valid, form, formset = bound(
        tenant, minimal_design(**{field: "on", "device_tracking": "on"})
    )
    assert formset.request["DeviceConfiguration"]
    assert field not in form.warnings


@pytest.mark.django_db
def test_constraints_of_the_wrong_type_are_flagged_where_they_were_typed(tenant):
    data = minimal_design(
        **management(1),
        **row(0, name="score", attribute_data_type="Number", max_length="10"),
    )
    valid, form, formset = bound(tenant, data)
    assert valid, errors_of(form, formset)
    warnings = formset.forms[0].warnings
    assert "max_length" in warnings and "min_length" not in warnings
    assert "apply only to String" in warnings["max_length"][0]


@pytest.mark.django_db
def test_spaces_around_a_number_field_are_ignored(tenant):
    data = minimal_design(
        password_minimum_length=" 12 ", unused_account_validity_days="7 "
    )
    valid, form, formset = bound(tenant, data)
    assert valid, errors_of(form, formset)
    assert formset.request["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert formset.request["AdminCreateUserConfig"]["UnusedAccountValidityDays"] == 7


@pytest.mark.django_db
def test_tags_become_user_pool_tags(tenant):
    text = "team=identity\r\n\r\n cost:centre = 42 \r\nempty=\r\nurl=a=b"
    valid, form, formset = bound(tenant, minimal_design(user_pool_tags=text))
    assert valid, errors_of(form, formset)
    assert formset.request["UserPoolTags"] == {
        "team": "identity",
        "cost:centre": "42",
        "empty": "",
        "url": "a=b",
    }
    valid, form, formset = bound(tenant, minimal_design(user_pool_tags="  \n"))
    assert valid and "UserPoolTags" not in formset.request


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text,words",
    [
        ("team=a\nno equals sign", "Line 2: write the tag as key=value."),
        ("poolconsole:attempt=x", "Line 1: keys starting with poolconsole:"),
        ("team=a\nteam=b", "Line 2: the key team is already on line 1"),
        ("\n".join(f"k{i}=v" for i in range(50)), "at most 49 tags (this has 50)"),
        ("aws:team=a", "Tag aws:team: use a key of"),
        ("=value", "A tag: use a tag key of 1 to 128 characters."),
        ("team=" + "v" * 257, "Tag team: use a value of at most 256"),
        ("team=a;b", "Tag team: use a value of letters"),
    ],
)
def test_bad_tags_are_errors_at_the_tags_field(tenant, text, words):
    valid, form, formset = bound(tenant, minimal_design(user_pool_tags=text))
    assert not valid
    assert any(words in message for message in form.errors["user_pool_tags"]), (
        form.errors
    )
    assert form["user_pool_tags"].value() == text  # kept to fix


@pytest.mark.django_db
def test_a_tag_may_hold_a_paragraph_separator(tenant):
    # U+2029 is a character of Cognito's tag pattern (\p{Z}), not a line break.
    valid, form, formset = bound(tenant, minimal_design(user_pool_tags="note=a\u2029b"))
    assert valid, errors_of(form, formset)
    assert formset.request["UserPoolTags"] == {"note": "a\u2029b"}
