"""Tests of request_from_json: both JSON shapes, moto round trip, fuzz."""

import copy
import json

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from poolconsole.pools.forms import bind_design, design_is_valid
from poolconsole.pools.importing import request_from_json
from poolconsole.pools.requests import form_data_from_request
from poolconsole.pools.validation import SUPPORTED_KEYS, validate_request

from .test_validation import _json, _shaped, base_request

DESIGN = {
    "PoolName": "customers",
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": 10,
            "RequireUppercase": True,
            "RequireLowercase": False,
            "RequireNumbers": True,
            "RequireSymbols": False,
        }
    },
    "AutoVerifiedAttributes": ["email"],
    "AliasAttributes": ["email", "preferred_username"],
    "EmailVerificationMessage": "Your code: {####}",
    "EmailVerificationSubject": "Welcome aboard",
    "MfaConfiguration": "OFF",
    "AdminCreateUserConfig": {
        "AllowAdminCreateUserOnly": True,
        "UnusedAccountValidityDays": 14,
        "InviteMessageTemplate": {
            "SMSMessage": "Hi {username}, password {####}",
            "EmailMessage": "<p>Hi {username}</p> password {####}",
            "EmailSubject": "Your account",
        },
    },
    "Schema": [
        {"Name": "email", "AttributeDataType": "String", "Required": True},
        {
            "Name": "plan",
            "AttributeDataType": "String",
            "Mutable": True,
            "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"},
        },
        {
            "Name": "score",
            "AttributeDataType": "Number",
            "DeveloperOnlyAttribute": True,
            "Mutable": False,
            "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"},
        },
    ],
    "UserPoolTags": {"poolconsole:attempt": "4f1c"},
}


def _with_defaults(entry):
    full = {"DeveloperOnlyAttribute": False, "Mutable": True, "Required": False}
    full |= entry
    if full["Name"] == "email":
        full.setdefault(
            "StringAttributeConstraints", {"MinLength": "0", "MaxLength": "2048"}
        )
    return full


@pytest.fixture
def aws_env(monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def described_pool(aws_env):
    with mock_aws():
        client = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = client.create_user_pool(**DESIGN)["UserPool"]["Id"]
        yield client.describe_user_pool(UserPoolId=pool_id)


def test_describe_output_round_trips_the_design(described_pool):
    request, problems = request_from_json(described_pool)
    assert [p for p in problems if p.severity == "error"] == []
    assert [p for p in validate_request(request) if p.severity == "error"] == []
    for key, value in DESIGN.items():
        if key != "Schema":
            assert request[key] == value, key
    assert [_with_defaults(e) for e in request["Schema"]] == [
        _with_defaults(e) for e in DESIGN["Schema"]
    ]
    # And the imported request creates the same pool again.
    client = boto3.client("cognito-idp", region_name="us-east-1")
    again = client.create_user_pool(**request)["UserPool"]
    assert again["SchemaAttributes"] == described_pool["UserPool"]["SchemaAttributes"]


def test_bare_user_pool_object_is_accepted(described_pool):
    pool = json.loads(json.dumps(described_pool["UserPool"], default=str))
    request, _ = request_from_json(pool)
    assert request["PoolName"] == "customers"
    assert "Id" not in request and "Arn" not in request
    assert "CreationDate" not in request


def test_describe_output_drops_default_standard_attributes_and_sub(described_pool):
    request, _ = request_from_json(described_pool)
    names = [entry["Name"] for entry in request["Schema"]]
    assert names == ["email", "plan", "score"]


def test_custom_prefixes_are_stripped_once():
    pool = {
        "Name": "p",
        "SchemaAttributes": [
            {"Name": "sub", "AttributeDataType": "String", "Mutable": False},
            {"Name": "custom:plan", "AttributeDataType": "String"},
            {
                "Name": "dev:custom:secret",
                "AttributeDataType": "String",
                "DeveloperOnlyAttribute": True,
            },
            {"Name": "custom:custom:twice", "AttributeDataType": "String"},
            {
                "Name": "given_name",
                "AttributeDataType": "String",
                "Mutable": True,
                "Required": False,
                "DeveloperOnlyAttribute": False,
                "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"},
            },
            {
                "Name": "updated_at",
                "AttributeDataType": "Number",
                "Mutable": True,
                "Required": False,
                "NumberAttributeConstraints": {"MinValue": "0"},
            },
            {"Name": "email_verified", "AttributeDataType": "Boolean"},
        ],
    }
    request, problems = request_from_json({"UserPool": pool})
    assert [e["Name"] for e in request["Schema"]] == ["plan", "secret", "custom:twice"]
    assert problems == []


def test_non_default_standard_attribute_is_kept():
    pool = {
        "Name": "p",
        "SchemaAttributes": [
            {
                "Name": "name",
                "AttributeDataType": "String",
                "Mutable": False,
                "Required": False,
            },
        ],
    }
    request, _ = request_from_json(pool)
    assert request["Schema"] == pool["SchemaAttributes"]


def test_newer_keys_are_reported_not_silently_dropped(described_pool):
    request, problems = request_from_json(described_pool)
    assert "VerificationMessageTemplate" not in request
    assert any(
        p.path == "VerificationMessageTemplate" and p.severity == "warning"
        for p in problems
    )


# base_request leaves Mutable out of these entries: the import notes that
# its default is uncertain, and nothing else.
MUTABLE_LEFT_OUT = {"Schema.0.Mutable", "Schema.2.Mutable"}


def test_cli_input_json_shape_is_kept_as_is():
    request, problems = request_from_json(copy.deepcopy(base_request()))
    assert request == base_request()
    assert {p.path for p in problems} == MUTABLE_LEFT_OUT


def test_cli_input_json_with_newer_and_unknown_keys_warns_per_key():
    data = base_request()
    data["UsernameAttributes"] = ["email"]
    data["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] = 7
    data["Colour"] = "blue"
    request, problems = request_from_json(data)
    assert request == base_request()
    by_path = {p.path: p for p in problems if p.path not in MUTABLE_LEFT_OUT}
    assert set(by_path) == {
        "UsernameAttributes",
        "AdminCreateUserConfig.UnusedAccountValidityDays",
        "Colour",
    }
    assert "also given as Policies.PasswordPolicy.TemporaryPasswordValidityDays" in (
        by_path["AdminCreateUserConfig.UnusedAccountValidityDays"].message
    )
    assert all(p.severity == "warning" for p in problems)
    assert by_path["UsernameAttributes"].message == (
        "UsernameAttributes: this form does not support it yet; it was not imported."
    )


@pytest.mark.parametrize("data", [None, [], "x", 3, [{"PoolName": "p"}]])
def test_non_object_is_an_error(data):
    request, problems = request_from_json(data)
    assert request == {}
    assert [p.severity for p in problems] == ["error"]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.one_of(
        _json,
        _shaped(SUPPORTED_KEYS),
        st.fixed_dictionaries({"UserPool": _json}),
        st.fixed_dictionaries(
            {"Name": _json}, optional={"SchemaAttributes": st.lists(_json)}
        ),
    )
)
def test_request_from_json_never_raises(data):
    request, problems = request_from_json(data)
    assert isinstance(request, dict)
    assert not any("could not be imported" in p.message for p in problems)
    validate_request(request)


def test_newer_key_holding_cognitos_default_says_nothing_is_lost(described_pool):
    _, problems = request_from_json(described_pool)
    notes = {p.path: p.message for p in problems}
    assert "nothing is lost" in notes["EmailConfiguration.EmailSendingAccount"]
    assert "nothing is lost" not in notes["VerificationMessageTemplate"]


def test_text_holding_a_lone_surrogate_is_left_out_with_an_error_at_its_path():
    request, problems = request_from_json(
        {
            "PoolName": "p \ud800",
            "AliasAttributes": ["email", "\udc00"],
            "SmsConfiguration": {"ExternalId": "\udc00", "SnsCallerArn": "x"},
            "UserPoolTags": {"k\ud800": "v"},
        }
    )
    assert request == {
        "AliasAttributes": ["email"],
        "SmsConfiguration": {"SnsCallerArn": "x"},
        "UserPoolTags": {},
    }
    errors = {p.path for p in problems if p.severity == "error"}
    assert errors == {
        "PoolName",
        "AliasAttributes.1",
        "SmsConfiguration.ExternalId",
        "UserPoolTags.k\\ud800",
    }
    assert all("surrogate" in p.message for p in problems)


def _through_the_form(tenant, data):
    """Return (request the form would send, notes) of importing data."""
    request, notes = request_from_json(data)
    form, formset = bind_design(tenant=tenant, data=form_data_from_request(request))
    design_is_valid(form, formset)
    return formset.request, notes


@pytest.mark.django_db
def test_booleans_left_out_import_as_cognitos_defaults(tenant):
    sent, _ = _through_the_form(
        tenant,
        {
            "PoolName": "p",
            "Schema": [
                {"Name": "plan", "AttributeDataType": "String"},
                {"Name": "email", "Required": True},
            ],
        },
    )
    assert sent["Policies"]["PasswordPolicy"] == {
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
    }
    assert sent["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": False}
    assert "DeviceConfiguration" not in sent
    assert sent["Schema"] == [
        {
            "Name": "plan",
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
        },
        {
            "Name": "email",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": True,
        },
    ]


def test_omitted_password_rules_of_no_policy_need_no_note():
    _, notes = request_from_json({"PoolName": "p"})
    assert notes == []


def test_omitted_mutable_and_password_rules_of_a_given_policy_are_noted_at_the_field():
    # Both defaults are uncertain once the structure around them is given
    # (aws/aws-cdk#8624 saw Mutable false), and Mutable is for ever.
    _, notes = request_from_json(
        {
            "PoolName": "p",
            "Policies": {"PasswordPolicy": {"MinimumLength": 10}},
            "Schema": [{"Name": "plan", "AttributeDataType": "String"}],
        }
    )
    assert {p.path for p in notes} == {
        "Policies.PasswordPolicy.RequireUppercase",
        "Policies.PasswordPolicy.RequireLowercase",
        "Policies.PasswordPolicy.RequireNumbers",
        "Policies.PasswordPolicy.RequireSymbols",
        "Schema.0.Mutable",
    }
    assert all(p.severity == "warning" and "uncertain" in p.message for p in notes)
    fields = {name for name, _ in notes.at_fields}
    assert fields == {
        "password_require_uppercase",
        "password_require_lowercase",
        "password_require_numbers",
        "password_require_symbols",
        "schema-0-mutable",
    }


@pytest.mark.django_db
def test_wrong_typed_booleans_are_not_coerced_silently(tenant):
    sent, notes = _through_the_form(
        tenant,
        {
            "PoolName": "p",
            "Policies": {
                "PasswordPolicy": {
                    "RequireUppercase": "true",
                    "RequireLowercase": "false",
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                }
            },
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": "yes"},
            "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": 1},
            "Schema": [
                {
                    "Name": "plan",
                    "AttributeDataType": "String",
                    "Mutable": "false",
                    "Required": None,
                    "DeveloperOnlyAttribute": False,
                }
            ],
        },
    )
    errors = {p.path: p.message for p in notes if p.severity == "error"}
    assert set(errors) == {
        "Policies.PasswordPolicy.RequireUppercase",
        "Policies.PasswordPolicy.RequireLowercase",
        "AdminCreateUserConfig.AllowAdminCreateUserOnly",
        "DeviceConfiguration.ChallengeRequiredOnNewDevice",
        "Schema.0.Mutable",
        "Schema.0.Required",
    }
    assert errors["Policies.PasswordPolicy.RequireLowercase"] == (
        'Policies.PasswordPolicy.RequireLowercase: the JSON gives the text "false", '
        "not true or false, so it was not imported; the box is ticked, Cognito's "
        "default. Check it."
    )
    assert "the number 1" in errors["DeviceConfiguration.ChallengeRequiredOnNewDevice"]
    assert "null" in errors["Schema.0.Required"]
    # Each is shown beside its field too.
    assert {name for name, _ in notes.at_fields} == {
        "password_require_uppercase",
        "password_require_lowercase",
        "allow_admin_create_user_only",
        "device_challenge_required_on_new_device",
        "schema-0-mutable",
        "schema-0-required",
    }
    # What the box shows is Cognito's default, and that is what is sent.
    policy = sent["Policies"]["PasswordPolicy"]
    assert policy == {
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": False,
    }
    assert sent["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert sent["DeviceConfiguration"]["ChallengeRequiredOnNewDevice"] is False
    assert sent["Schema"][0]["Mutable"] is True
    assert sent["Schema"][0]["Required"] is False


@pytest.mark.django_db
def test_empty_device_configuration_keeps_device_tracking_on(tenant):
    sent, notes = _through_the_form(
        tenant, {"PoolName": "p", "DeviceConfiguration": {}}
    )
    assert sent["DeviceConfiguration"] == {
        "ChallengeRequiredOnNewDevice": False,
        "DeviceOnlyRememberedOnUserPrompt": False,
    }
    assert notes == []


@pytest.mark.django_db
def test_values_the_form_turns_into_another_type_are_noted(tenant):
    sent, notes = _through_the_form(
        tenant,
        {
            "PoolName": 5,
            "Policies": {"PasswordPolicy": {"MinimumLength": "10"}},
            "AliasAttributes": "email",
            "SmsConfiguration": "none",
            "Schema": [
                {
                    "Name": "plan",
                    "AttributeDataType": "String",
                    "Mutable": True,
                    "StringAttributeConstraints": {"MaxLength": 64},
                },
                "nonsense",
            ],
        },
    )
    by_path = {p.path: p for p in notes}
    assert set(by_path) >= {
        "PoolName",
        "Policies.PasswordPolicy.MinimumLength",
        "AliasAttributes",
        "SmsConfiguration",
        "Schema.0.StringAttributeConstraints.MaxLength",
        "Schema.1",
    }
    assert by_path["PoolName"].message == (
        'PoolName: the JSON gives the number 5, not text; the form shows it as "5". '
        "Check it."
    )
    assert "not an object, so nothing in it was imported" in (
        by_path["SmsConfiguration"].message
    )
    fields = dict(notes.at_fields)
    assert "schema-0-max_length" in fields and "schema-1-name" in fields
    assert sent["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert sent["Schema"][0]["StringAttributeConstraints"] == {"MaxLength": "64"}


BRIEF_LINE_BREAKS = {
    "PoolName": "Line\nbreak pool",
    "EmailVerificationSubject": "Your\ncode",
    "AdminCreateUserConfig": {
        "InviteMessageTemplate": {"SMSMessage": "Hi {username}\nYour password: {####}"}
    },
}


@pytest.mark.django_db
def test_line_breaks_of_one_line_fields_are_spaces_with_a_note_at_the_field(tenant):
    sent, notes = _through_the_form(tenant, BRIEF_LINE_BREAKS)
    assert sent["PoolName"] == "Line break pool"
    assert sent["EmailVerificationSubject"] == "Your code"
    # A message body keeps its line break: Cognito allows it in the invite.
    invite = sent["AdminCreateUserConfig"]["InviteMessageTemplate"]
    assert invite["SMSMessage"] == "Hi {username}\nYour password: {####}"
    assert dict(notes.at_fields) == {
        "pool_name": "PoolName: this field holds one line, so each line break was "
        "replaced by a space. Check it.",
        "email_verification_subject": "EmailVerificationSubject: this field holds "
        "one line, so each line break was replaced by a space. Check it.",
    }


@pytest.mark.django_db
def test_line_break_in_a_verification_sms_stays_and_is_an_error_at_the_field(tenant):
    request, notes = request_from_json(
        {"PoolName": "p", "SmsVerificationMessage": "Your code:\r\n{####}"}
    )
    form, formset = bind_design(tenant=tenant, data=form_data_from_request(request))
    assert not design_is_valid(form, formset)
    assert form.errors["sms_verification_message"] == [
        "Keep this message on one line; Cognito rejects line breaks here."
    ]
    assert form["sms_verification_message"].value() == "Your code:\r\n{####}"
    [(field, note)] = notes.at_fields
    assert field == "sms_verification_message"
    assert "imported as \\n" in note


def test_line_break_in_a_schema_text_field_is_noted_at_its_row():
    _, notes = request_from_json(
        {
            "PoolName": "p",
            "Schema": [
                {
                    "Name": "plan\n",
                    "AttributeDataType": "String",
                    "Mutable": True,
                    "StringAttributeConstraints": {"MaxLength": "64\n"},
                }
            ],
        }
    )
    assert {name for name, _ in notes.at_fields} == {
        "schema-0-name",
        "schema-0-max_length",
    }


@pytest.mark.parametrize("shape", ["request", "describe"])
def test_user_pool_tags_are_imported_into_the_tags_field(shape):
    pool = {"team": "identity", "env": "prod", "poolconsole:attempt": "4f1c"}
    data = (
        {"PoolName": "p", "UserPoolTags": pool}
        if shape == "request"
        else {"UserPool": {"Name": "p", "Id": "x", "UserPoolTags": pool}}
    )
    request, notes = request_from_json(data)
    # Exports read pools through request_from_json: the tags stay there.
    assert request["UserPoolTags"] == pool
    assert not [p for p in notes if p.path == "UserPoolTags"]
    # poolconsole's own tag is left behind: the new pool gets its own.
    assert form_data_from_request(request)["user_pool_tags"] == (
        "team=identity\nenv=prod"
    )


def test_tags_no_line_can_hold_are_noted_by_key():
    tags = {
        "ok": "yes",
        "a=b": "c",
        "line": "one\ntwo",
        " padded": "x",
        "count": 3,
    }
    request, notes = request_from_json({"PoolName": "p", "UserPoolTags": tags})
    [note] = [p for p in notes if p.path == "UserPoolTags"]
    assert note.severity == "warning"
    for key in ("a=b", "line", "padded", "count"):
        assert key in note.message
    assert "ok," not in note.message
    assert dict(notes.at_fields)["user_pool_tags"]
    assert form_data_from_request(request)["user_pool_tags"] == "ok=yes"


def test_only_poolconsoles_own_attempt_tag_needs_no_note():
    _, notes = request_from_json(
        {"PoolName": "p", "UserPoolTags": {"poolconsole:attempt": "4f1c"}}
    )
    assert notes == []


def test_user_pool_tags_that_are_not_an_object_are_noted():
    _, notes = request_from_json({"PoolName": "p", "UserPoolTags": ["team"]})
    assert [p.path for p in notes] == ["UserPoolTags"]


def test_describe_output_carries_the_temporary_password_validity_into_the_form(
    described_pool,
):
    pool = copy.deepcopy(described_pool)
    pool["UserPool"]["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] = 3
    pool["UserPool"].setdefault("AdminCreateUserConfig", {})[
        "UnusedAccountValidityDays"
    ] = 7
    request, problems = request_from_json(pool)

    assert request["AdminCreateUserConfig"]["UnusedAccountValidityDays"] == 3
    assert "TemporaryPasswordValidityDays" not in request["Policies"]["PasswordPolicy"]
    field = dict(problems.at_fields)["unused_account_validity_days"]
    assert "set to 3 from Policies.PasswordPolicy.TemporaryPasswordValidityDays" in (
        field
    )
    data = form_data_from_request(request)
    assert data["unused_account_validity_days"] == "3"
    # One note, not also "not supported, not imported" for the same key.
    assert not [p for p in problems if "TemporaryPasswordValidityDays" in p.path]


def test_a_request_with_only_the_newer_validity_keeps_its_days():
    data = base_request()
    del data["AdminCreateUserConfig"]["UnusedAccountValidityDays"]
    data["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] = 2
    request, problems = request_from_json(data)
    assert request["AdminCreateUserConfig"]["UnusedAccountValidityDays"] == 2
    assert any(
        p.path == "AdminCreateUserConfig.UnusedAccountValidityDays" for p in problems
    )


def test_a_users_tag_under_poolconsoles_prefix_is_noted_not_dropped_silently():
    request, notes = request_from_json(
        {
            "PoolName": "p",
            "UserPoolTags": {"poolconsole:owner": "team-a", "poolconsole:attempt": "k"},
        }
    )
    assert "poolconsole:" not in form_data_from_request(request)["user_pool_tags"]
    [note] = [p for p in notes if p.path == "UserPoolTags"]
    assert "poolconsole:owner" in note.message
    assert "poolconsole:attempt" not in note.message
