"""Exports of a design: CLI JSON, CloudFormation YAML and Terraform HCL."""

import copy
import json
import re

import boto3
import hcl2
import pytest
import yaml
from django.core.management import call_command
from moto import mock_aws

from poolconsole.pools.exports import (
    design_of,
    export_cli_json,
    export_cloudformation,
    export_terraform,
    hcl_string,
    request_from_pool,
)
from poolconsole.pools.forms import bind_design, design_is_valid
from poolconsole.pools.validation import ERROR, STANDARD_ATTRIBUTES, validate_request
from poolconsole.provisioning.models import ATTEMPT_TAG
from tests.pools.design_data import FULL_REQUEST, full_design, minimal_design

MINIMAL = {"PoolName": "Customers"}
FULL = {**FULL_REQUEST, "UserPoolTags": {"team": "identity", "cost:centre": "42"}}
CONSTRAINTS = {
    "PoolName": "Constraints",
    "Schema": [
        # A standard attribute without a type: Cognito's type is fixed.
        {"Name": "email", "Required": True, "Mutable": True},
        {
            "Name": "seats",
            "AttributeDataType": "Number",
            "Mutable": True,
            "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "1000000"},
        },
        {
            "Name": "bio",
            "AttributeDataType": "String",
            "Mutable": True,
            "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"},
        },
        {
            "Name": "floor",
            "AttributeDataType": "Number",
            "NumberAttributeConstraints": {"MinValue": "5"},
        },
    ],
}
MESSAGES = {
    "PoolName": "Quotes",
    "EmailVerificationSubject": 'Your "code" ${var} %{ if x } 50% \\ done',
    "EmailVerificationMessage": (
        'Hello "friend",\nyour code is {####}.\r\n\tC:\\path ${x} $${y} %{z} '
        "%%{w} é 日本 🎉 end $"
    ),
    "SmsVerificationMessage": 'Code "{####}" ${not} %{an} \\interpolation',
    "AdminCreateUserConfig": {
        "AllowAdminCreateUserOnly": False,
        "InviteMessageTemplate": {
            "EmailSubject": "Welcome ${name}",
            "EmailMessage": 'Hi {username}\n"pw": {####}\n${x}',
            "SMSMessage": "Hi {username} ${x} {####}",
        },
    },
    "UserPoolTags": {"team/name": "a+b = c@d", "aws-ish:key": "v"},
}
DESIGNS = {
    "minimal": MINIMAL,
    "full": FULL,
    "constraints": CONSTRAINTS,
    "messages": MESSAGES,
}


@pytest.fixture(params=list(DESIGNS))
def design(request):
    return copy.deepcopy(DESIGNS[request.param])


def test_the_designs_are_valid(design):
    assert [p for p in validate_request(design) if p.severity == ERROR] == []


# JSON


def test_cli_json_is_the_request_and_passes_validation(design, tmp_path):
    text = export_cli_json(design)

    assert json.loads(text) == design
    assert validate_request(json.loads(text)) == validate_request(design)
    assert not [p for p in validate_request(json.loads(text)) if p.severity == ERROR]
    path = tmp_path / "pool.json"
    path.write_text(text, encoding="utf-8")
    call_command("check_pool_request", str(path))  # exits 1 on any error


def test_exports_leave_out_the_attempt_tag():
    request = {**MINIMAL, "UserPoolTags": {ATTEMPT_TAG: "k", "team": "x"}}
    only_tag = {**MINIMAL, "UserPoolTags": {ATTEMPT_TAG: "k"}}

    assert json.loads(export_cli_json(request))["UserPoolTags"] == {"team": "x"}
    assert json.loads(export_cli_json(only_tag)) == MINIMAL
    assert ATTEMPT_TAG not in export_cloudformation(request)
    assert ATTEMPT_TAG not in export_terraform(request)
    assert request["UserPoolTags"] == {ATTEMPT_TAG: "k", "team": "x"}  # not mutated


# CloudFormation


def test_cloudformation_parses_with_the_request_as_properties(design):
    template = yaml.safe_load(export_cloudformation(design))

    resource = template["Resources"]["UserPool"]
    assert resource["Type"] == "AWS::Cognito::UserPool"
    properties = resource["Properties"]
    assert properties.pop("UserPoolName") == design.pop("PoolName")
    assert properties == design


def test_cloudformation_names_the_resource_and_keeps_text_as_text():
    template = yaml.safe_load(
        export_cloudformation(
            {"PoolName": "yes", "MfaConfiguration": "OFF"}, logical_id="Pool"
        )
    )
    properties = template["Resources"]["Pool"]["Properties"]
    # YAML 1.1 would read bare yes/OFF as booleans.
    assert properties == {"UserPoolName": "yes", "MfaConfiguration": "OFF"}


def test_cloudformation_full_design_uses_cfn_property_names():
    properties = yaml.safe_load(export_cloudformation(FULL))["Resources"]["UserPool"][
        "Properties"
    ]
    assert properties["UserPoolName"] == "Customers EU"
    assert properties["UserPoolTags"] == {"team": "identity", "cost:centre": "42"}
    assert (
        properties["AdminCreateUserConfig"]["InviteMessageTemplate"]["SMSMessage"]
        == (FULL["AdminCreateUserConfig"]["InviteMessageTemplate"]["SMSMessage"])
    )
    assert "PoolName" not in properties


# Terraform

_HCL_OPTIONS = hcl2.SerializationOptions(
    strip_string_quotes=True, explicit_blocks=False, with_comments=False
)
# Terraform argument -> request key where camel-casing the name is not enough.
_TF_TOP = {"name": "PoolName", "tags": "UserPoolTags"}
_TF_SPECIAL = {"sms_message": "SMSMessage"}
_TF_LISTS = {"schema"}


def _template_text(value):
    """Resolve HCL's template escapes, which hcl2 leaves as written."""
    if isinstance(value, str):
        return re.sub(r"([$%])\1\{", r"\1{", value)
    if isinstance(value, list):
        return [_template_text(item) for item in value]
    if isinstance(value, dict):
        return {_template_text(k): _template_text(v) for k, v in value.items()}
    return value


def _camel(name):
    return _TF_SPECIAL.get(name) or "".join(p.title() for p in name.split("_"))


def _structure(body):
    """Return the request structure of a block body read from HCL."""
    out = {}
    for name, value in body.items():
        if name in _TF_LISTS:
            out[_camel(name)] = [_structure(item) for item in value]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out[_camel(name)] = _structure(value[0])  # a block, given once
        else:
            out[_camel(name)] = _template_text(value)
    return out


def request_from_terraform(text):
    """Return the request an exported resource describes (independent inverse)."""
    parsed = hcl2.loads(text, serialization_options=_HCL_OPTIONS)
    [resource] = parsed["resource"]
    body = resource["aws_cognito_user_pool"]["this"]
    request = {}
    for name, value in body.items():
        if name in _TF_TOP:
            request[_TF_TOP[name]] = _template_text(value)
        elif name == "password_policy":
            policy = _structure(value[0])
            days = policy.pop("TemporaryPasswordValidityDays", None)
            if days is not None:
                admin = request.setdefault("AdminCreateUserConfig", {})
                admin["UnusedAccountValidityDays"] = days
            if policy:
                request["Policies"] = {"PasswordPolicy": policy}
        elif name == "admin_create_user_config":
            request.setdefault("AdminCreateUserConfig", {}).update(_structure(value[0]))
        else:
            request.update(_structure({name: value}))
    return request


def _with_standard_types(request):
    """Return request with the fixed type of typeless standard attributes."""
    request = copy.deepcopy(request)
    for entry in request.get("Schema", []):
        if entry["Name"] == "email":
            entry.setdefault("AttributeDataType", "String")
    return request


def _normalized(request):
    """Return request with its structures' keys sorted, to compare them."""
    return json.loads(json.dumps(request, sort_keys=True))


def test_terraform_parses_with_the_request_as_values(design):
    text = export_terraform(design)

    assert text.startswith('resource "aws_cognito_user_pool" "this" {\n')
    assert _normalized(request_from_terraform(text)) == _normalized(
        _with_standard_types(design)
    )


def test_terraform_full_design_uses_the_provider_argument_names():
    parsed = hcl2.loads(export_terraform(FULL), serialization_options=_HCL_OPTIONS)
    body = parsed["resource"][0]["aws_cognito_user_pool"]["this"]

    assert body["name"] == "Customers EU"
    assert body["alias_attributes"] == ["email", "preferred_username"]
    assert body["password_policy"] == [
        {
            "minimum_length": 12,
            "require_uppercase": True,
            "require_lowercase": False,
            "require_numbers": True,
            "require_symbols": False,
            "temporary_password_validity_days": 30,
        }
    ]
    assert (
        body["lambda_config"][0]["verify_auth_challenge_response"]
        == (FULL["LambdaConfig"]["VerifyAuthChallengeResponse"])
    )
    assert body["device_configuration"] == [
        {
            "challenge_required_on_new_device": True,
            "device_only_remembered_on_user_prompt": False,
        }
    ]
    assert (
        body["sms_configuration"][0]["sns_caller_arn"]
        == (FULL["SmsConfiguration"]["SnsCallerArn"])
    )
    admin = body["admin_create_user_config"][0]
    assert admin["allow_admin_create_user_only"] is True
    assert set(admin["invite_message_template"][0]) == {
        "email_message",
        "email_subject",
        "sms_message",
    }
    seats = next(s for s in body["schema"] if s["name"] == "seats")
    assert seats["number_attribute_constraints"] == [
        {"min_value": "1", "max_value": "500"}
    ]
    assert body["tags"] == {"team": "identity", "cost:centre": "42"}


@pytest.mark.parametrize(
    "text,written",
    [
        ('say "hi"', r'"say \"hi\""'),
        ("a\\b", r'"a\\b"'),
        ("one\ntwo\r\tthree", r'"one\ntwo\r\tthree"'),
        ("${var.x}", '"$${var.x}"'),
        ("%{ if x }", '"%%{ if x }"'),
        ("$${kept}", '"$$${kept}"'),
        ("cost $5 and 10%", '"cost $5 and 10%"'),
        ("bell\x07", r'"bell\u0007"'),
    ],
)
def test_hcl_string_escapes(text, written):
    assert hcl_string(text) == written
    parsed = hcl2.loads(f"x = {written}\n", serialization_options=_HCL_OPTIONS)
    assert _template_text(parsed["x"]) == text


# The design form and created pools.


@pytest.mark.django_db
@pytest.mark.parametrize("data", [minimal_design(), full_design()])
def test_exports_of_a_design_form_pass_validation(tenant, data):
    form, formset = bind_design(tenant=tenant, data=data)
    assert design_is_valid(form, formset)
    request = formset.request

    assert json.loads(export_cli_json(request)) == request
    assert not [p for p in validate_request(request) if p.severity == ERROR]
    properties = yaml.safe_load(export_cloudformation(request))["Resources"][
        "UserPool"
    ]["Properties"]
    assert properties["UserPoolName"] == request["PoolName"]
    assert _normalized(request_from_terraform(export_terraform(request))) == (
        _normalized(_with_standard_types(request))
    )


class _Pool:
    def __init__(self, raw_response):
        self.raw_response = raw_response


@pytest.fixture
def cognito(monkeypatch, tmp_path):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-creds"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield boto3.client("cognito-idp", region_name="us-east-1")


@pytest.mark.parametrize("name", ["minimal", "full", "constraints"])
def test_a_created_pool_exports_its_design(cognito, name):
    request = copy.deepcopy(DESIGNS[name])
    request.setdefault("UserPoolTags", {})[ATTEMPT_TAG] = "key"
    pool_id = cognito.create_user_pool(**request)["UserPool"]["Id"]
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    pool = _Pool(json.loads(json.dumps(described, default=str)))

    design = request_from_pool(pool)

    assert design["PoolName"] == request["PoolName"]
    exported = json.loads(export_cli_json(design))
    assert ATTEMPT_TAG not in exported.get("UserPoolTags", {})
    assert not [p for p in validate_request(exported) if p.severity == ERROR]
    custom = {e["Name"] for e in design.get("Schema", [])} - set(STANDARD_ATTRIBUTES)
    assert custom == {e["Name"] for e in request.get("Schema", [])} - {"email"}
    yaml.safe_load(export_cloudformation(design))
    request_from_terraform(export_terraform(design))


def test_design_of_leaves_the_callers_request_alone():
    request = {
        "PoolName": "p",
        "UserPoolTags": {"poolconsole:attempt": "k", "team": "x"},
    }
    design = design_of(request)
    assert design["UserPoolTags"] == {"team": "x"}
    assert request["UserPoolTags"] == {"poolconsole:attempt": "k", "team": "x"}
