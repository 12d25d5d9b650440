"""Tests of request_from_json: both JSON shapes, moto round trip, fuzz."""

import copy
import json

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from poolconsole.pools.importing import request_from_json
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


def test_cli_input_json_shape_is_kept_as_is():
    request, problems = request_from_json(copy.deepcopy(base_request()))
    assert request == base_request()
    assert problems == []


def test_cli_input_json_with_newer_and_unknown_keys_warns_per_key():
    data = base_request()
    data["UsernameAttributes"] = ["email"]
    data["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] = 7
    data["Colour"] = "blue"
    request, problems = request_from_json(data)
    assert request == base_request()
    by_path = {p.path: p for p in problems}
    assert set(by_path) == {
        "UsernameAttributes",
        "Policies.PasswordPolicy.TemporaryPasswordValidityDays",
        "Colour",
    }
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
