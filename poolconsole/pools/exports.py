"""Export a pool design as CLI JSON, CloudFormation YAML or Terraform HCL.

Each exporter takes the keyword arguments of ``create_user_pool`` (a design's
request, or ``request_from_pool`` of a created pool) and returns text. They
are pure and never raise on odd values: a value of an unexpected type is
written as it is, for the tool reading the export to report.

poolconsole's own ``poolconsole:attempt`` tag is left out of every export:
it names one create attempt, and a pool created from an export is not one.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from poolconsole.provisioning.models import ATTEMPT_TAG

from .importing import request_from_json
from .validation import STANDARD_ATTRIBUTES, SUPPORTED_KEYS

FORMATS = {
    # format -> (file extension, content type)
    "json": ("json", "application/json"),
    "cloudformation": ("yaml", "application/yaml"),
    "terraform": ("tf", "text/plain"),
}

# CloudFormation's AWS::Cognito::UserPool property of each request key; the
# structures inside have the same member names in both.
CFN_PROPERTIES: dict[str, str] = {
    "PoolName": "UserPoolName",
    "Policies": "Policies",
    "LambdaConfig": "LambdaConfig",
    "AutoVerifiedAttributes": "AutoVerifiedAttributes",
    "AliasAttributes": "AliasAttributes",
    "SmsVerificationMessage": "SmsVerificationMessage",
    "EmailVerificationMessage": "EmailVerificationMessage",
    "EmailVerificationSubject": "EmailVerificationSubject",
    "SmsAuthenticationMessage": "SmsAuthenticationMessage",
    "MfaConfiguration": "MfaConfiguration",
    "DeviceConfiguration": "DeviceConfiguration",
    "EmailConfiguration": "EmailConfiguration",
    "SmsConfiguration": "SmsConfiguration",
    "AdminCreateUserConfig": "AdminCreateUserConfig",
    "Schema": "Schema",
    "UserPoolTags": "UserPoolTags",
}

# Terraform's aws_cognito_user_pool arguments: top-level values, then blocks
# (request structure -> block name, member -> argument).
TF_ARGUMENTS: dict[str, str] = {
    "PoolName": "name",
    "AliasAttributes": "alias_attributes",
    "AutoVerifiedAttributes": "auto_verified_attributes",
    "MfaConfiguration": "mfa_configuration",
    "SmsVerificationMessage": "sms_verification_message",
    "EmailVerificationMessage": "email_verification_message",
    "EmailVerificationSubject": "email_verification_subject",
    "SmsAuthenticationMessage": "sms_authentication_message",
}
TF_PASSWORD_POLICY: dict[str, str] = {
    "MinimumLength": "minimum_length",
    "RequireUppercase": "require_uppercase",
    "RequireLowercase": "require_lowercase",
    "RequireNumbers": "require_numbers",
    "RequireSymbols": "require_symbols",
}
TF_LAMBDA_CONFIG: dict[str, str] = {
    "PreSignUp": "pre_sign_up",
    "CustomMessage": "custom_message",
    "PostConfirmation": "post_confirmation",
    "PreAuthentication": "pre_authentication",
    "PostAuthentication": "post_authentication",
    "DefineAuthChallenge": "define_auth_challenge",
    "CreateAuthChallenge": "create_auth_challenge",
    "VerifyAuthChallengeResponse": "verify_auth_challenge_response",
}
TF_DEVICE_CONFIGURATION: dict[str, str] = {
    "ChallengeRequiredOnNewDevice": "challenge_required_on_new_device",
    "DeviceOnlyRememberedOnUserPrompt": "device_only_remembered_on_user_prompt",
}
TF_EMAIL_CONFIGURATION: dict[str, str] = {
    "SourceArn": "source_arn",
    "ReplyToEmailAddress": "reply_to_email_address",
}
TF_SMS_CONFIGURATION: dict[str, str] = {
    "SnsCallerArn": "sns_caller_arn",
    "ExternalId": "external_id",
}
TF_INVITE_MESSAGE_TEMPLATE: dict[str, str] = {
    "EmailMessage": "email_message",
    "EmailSubject": "email_subject",
    "SMSMessage": "sms_message",
}
TF_SCHEMA: dict[str, str] = {
    "Name": "name",
    "AttributeDataType": "attribute_data_type",
    "DeveloperOnlyAttribute": "developer_only_attribute",
    "Mutable": "mutable",
    "Required": "required",
}
TF_NUMBER_CONSTRAINTS: dict[str, str] = {
    "MinValue": "min_value",
    "MaxValue": "max_value",
}
TF_STRING_CONSTRAINTS: dict[str, str] = {
    "MinLength": "min_length",
    "MaxLength": "max_length",
}


def in_api_order(value: Any, spec: Any = SUPPORTED_KEYS) -> Any:
    """Return value with its keys in the API's order, the rest sorted after.

    Exports must not depend on how the request was stored: PostgreSQL's
    jsonb, for one, keeps keys in an order of its own.
    """
    if isinstance(value, dict):
        known = list(spec) if isinstance(spec, dict) else []
        keys = [k for k in known if k in value]
        keys += sorted((k for k in value if k not in known), key=str)
        return {
            k: in_api_order(value[k], spec.get(k) if isinstance(spec, dict) else None)
            for k in keys
        }
    if isinstance(value, list):
        item_spec = spec[0] if isinstance(spec, list) and spec else None
        return [in_api_order(item, item_spec) for item in value]
    return value


def design_of(request: Any) -> dict:
    """Return a copy of request, in the API's key order, without poolconsole's tag."""
    # in_api_order builds new dicts and lists, so the tag removal below
    # never touches the caller's request.
    design = in_api_order(request) if isinstance(request, dict) else {}
    tags = design.get("UserPoolTags")
    if isinstance(tags, dict) and ATTEMPT_TAG in tags:
        del tags[ATTEMPT_TAG]
        if not tags:
            del design["UserPoolTags"]
    return design


def request_from_pool(user_pool) -> dict:
    """Return the create_user_pool request of a created pool's design.

    The design is what ``describe_user_pool`` last said, as the JSON import
    reads it: read-only fields and settings this form does not support are
    left out, and standard attributes left at Cognito's defaults are too.
    """
    request, _notes = request_from_json(user_pool.raw_response or {})
    return request


def export_cli_json(request: dict) -> str:
    """Return request as ``aws cognito-idp create-user-pool --cli-input-json``."""
    return json.dumps(design_of(request), indent=2, ensure_ascii=False) + "\n"


def export_cloudformation(request: dict, logical_id: str = "UserPool") -> str:
    """Return request as a CloudFormation template of one user pool (YAML)."""
    design = design_of(request)
    properties: dict[str, Any] = {}
    for key, value in design.items():
        properties[CFN_PROPERTIES.get(key, key)] = value
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            logical_id: {"Type": "AWS::Cognito::UserPool", "Properties": properties}
        },
    }
    return yaml.safe_dump(
        template,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        # Never fold long messages across lines: the text stays greppable.
        width=2**31 - 1,
    )


# Terraform (HCL).


def hcl_string(value: str) -> str:
    """Return value as an HCL quoted string.

    Besides the usual escapes, ``${`` and ``%{`` would start a template
    interpolation or directive, so they are written ``$${`` and ``%%{``
    (https://developer.hashicorp.com/terraform/language/expressions/strings).
    """
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            out.append(f"\\u{ord(char):04x}")
        elif 0xD800 <= ord(char) <= 0xDFFF:
            # A lone surrogate cannot be written as UTF-8; keep it visible.
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    text = "".join(out).replace("${", "$${").replace("%{", "%%{")
    return f'"{text}"'


def hcl_value(value: Any, indent: str = "") -> str:
    """Return value as an HCL expression."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return hcl_string(value)
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(hcl_value(item, indent) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        lines = [
            f"{inner}{hcl_string(str(key))} = {hcl_value(item, inner)}"
            for key, item in value.items()
        ]
        return "{\n" + "\n".join(lines) + f"\n{indent}}}"
    return hcl_string(str(value))


class _Block:
    """Lines of one HCL block body."""

    def __init__(self, indent: str):
        self.indent = indent
        self.lines: list[str | tuple[str, _Block]] = []

    def argument(self, name: str, value: Any) -> None:
        self.lines.append(f"{self.indent}{name} = {hcl_value(value, self.indent)}")

    def arguments(self, source: Any, names: dict[str, str]) -> None:
        if not isinstance(source, dict):
            return
        for key, name in names.items():
            if key in source:
                self.argument(name, source[key])

    def comment(self, text: str) -> None:
        self.lines.append(f"{self.indent}# {text}")

    def block(self, name: str) -> _Block:
        child = _Block(self.indent + "  ")
        self.lines.append((name, child))
        return child

    def render(self) -> list[str]:
        out: list[str] = []
        for line in self.lines:
            if isinstance(line, tuple):
                name, child = line
                out.append(f"{self.indent}{name} {{")
                out.extend(child.render())
                out.append(f"{self.indent}}}")
            else:
                out.append(line)
        return out


def _terraform_body(design: dict, body: _Block) -> None:
    for key, name in TF_ARGUMENTS.items():
        if key in design:
            body.argument(name, design[key])

    policies = design.get("Policies")
    password = policies.get("PasswordPolicy") if isinstance(policies, dict) else None
    admin = design.get("AdminCreateUserConfig")
    admin = admin if isinstance(admin, dict) else {}
    validity = admin.get("UnusedAccountValidityDays")
    if isinstance(password, dict) or validity is not None:
        block = body.block("password_policy")
        block.arguments(password, TF_PASSWORD_POLICY)
        if validity is not None:
            # The provider dropped unused_account_validity_days (v4); Cognito
            # reads it as the temporary password's validity, the same setting.
            block.comment("AdminCreateUserConfig.UnusedAccountValidityDays")
            block.argument("temporary_password_validity_days", validity)

    for key, name, names in (
        ("LambdaConfig", "lambda_config", TF_LAMBDA_CONFIG),
        ("DeviceConfiguration", "device_configuration", TF_DEVICE_CONFIGURATION),
        ("EmailConfiguration", "email_configuration", TF_EMAIL_CONFIGURATION),
        ("SmsConfiguration", "sms_configuration", TF_SMS_CONFIGURATION),
    ):
        if isinstance(design.get(key), dict):
            body.block(name).arguments(design[key], names)

    if "AdminCreateUserConfig" in design:
        block = body.block("admin_create_user_config")
        block.arguments(
            admin, {"AllowAdminCreateUserOnly": "allow_admin_create_user_only"}
        )
        if isinstance(admin.get("InviteMessageTemplate"), dict):
            block.block("invite_message_template").arguments(
                admin["InviteMessageTemplate"], TF_INVITE_MESSAGE_TEMPLATE
            )

    schema = design.get("Schema")
    for entry in schema if isinstance(schema, list) else []:
        if not isinstance(entry, dict):
            continue
        block = body.block("schema")
        entry = dict(entry)
        name = entry.get("Name")
        if "AttributeDataType" not in entry and name in STANDARD_ATTRIBUTES:
            # The provider requires the type; a standard attribute's is fixed.
            entry["AttributeDataType"] = STANDARD_ATTRIBUTES[name]
        block.arguments(entry, TF_SCHEMA)
        for key, name, names in (
            (
                "NumberAttributeConstraints",
                "number_attribute_constraints",
                TF_NUMBER_CONSTRAINTS,
            ),
            (
                "StringAttributeConstraints",
                "string_attribute_constraints",
                TF_STRING_CONSTRAINTS,
            ),
        ):
            if isinstance(entry.get(key), dict):
                block.block(name).arguments(entry[key], names)

    if "UserPoolTags" in design:
        body.argument("tags", design["UserPoolTags"])


def export_terraform(request: dict, name: str = "this") -> str:
    """Return request as a Terraform ``aws_cognito_user_pool`` resource."""
    body = _Block("  ")
    _terraform_body(design_of(request), body)
    lines = [f'resource "aws_cognito_user_pool" {hcl_string(name)} {{']
    lines += body.render()
    lines.append("}")
    return "\n".join(lines) + "\n"


EXPORTERS = {
    "json": export_cli_json,
    "cloudformation": export_cloudformation,
    "terraform": export_terraform,
}


def export(request: dict, fmt: str) -> str:
    """Return request exported in fmt (a key of ``FORMATS``)."""
    return EXPORTERS[fmt](request)
