"""Turn the design form into a CreateUserPool request, and back.

``request_from_forms`` builds the exact keyword arguments of
``create_user_pool`` from the cleaned form and schema formset;
``form_data_from_request`` turns such a request back into the form data a
browser would post. Both are pure, and they round-trip.
"""

import re
from typing import Any

from django.http import QueryDict

SCHEMA_PREFIX = "schema"
# Above Cognito's 50 entries, so the validation module says what is wrong,
# yet small enough that a forged TOTAL_FORMS cannot make a page slow.
MAX_SCHEMA_ROWS = 60

# Form field -> request path (dotted keys of the CreateUserPool request).
FIELD_PATHS: dict[str, str] = {
    "pool_name": "PoolName",
    "alias_attributes": "AliasAttributes",
    "auto_verified_attributes": "AutoVerifiedAttributes",
    "password_minimum_length": "Policies.PasswordPolicy.MinimumLength",
    "password_require_uppercase": "Policies.PasswordPolicy.RequireUppercase",
    "password_require_lowercase": "Policies.PasswordPolicy.RequireLowercase",
    "password_require_numbers": "Policies.PasswordPolicy.RequireNumbers",
    "password_require_symbols": "Policies.PasswordPolicy.RequireSymbols",
    "mfa_configuration": "MfaConfiguration",
    "device_challenge_required_on_new_device": (
        "DeviceConfiguration.ChallengeRequiredOnNewDevice"
    ),
    "device_only_remembered_on_user_prompt": (
        "DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt"
    ),
    "sms_verification_message": "SmsVerificationMessage",
    "email_verification_message": "EmailVerificationMessage",
    "email_verification_subject": "EmailVerificationSubject",
    "sms_authentication_message": "SmsAuthenticationMessage",
    "email_source_arn": "EmailConfiguration.SourceArn",
    "email_reply_to_address": "EmailConfiguration.ReplyToEmailAddress",
    "sms_sns_caller_arn": "SmsConfiguration.SnsCallerArn",
    "sms_external_id": "SmsConfiguration.ExternalId",
    "allow_admin_create_user_only": "AdminCreateUserConfig.AllowAdminCreateUserOnly",
    "unused_account_validity_days": "AdminCreateUserConfig.UnusedAccountValidityDays",
    "invite_sms_message": "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
    "invite_email_message": "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
    "invite_email_subject": "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
    "lambda_pre_sign_up": "LambdaConfig.PreSignUp",
    "lambda_custom_message": "LambdaConfig.CustomMessage",
    "lambda_post_confirmation": "LambdaConfig.PostConfirmation",
    "lambda_pre_authentication": "LambdaConfig.PreAuthentication",
    "lambda_post_authentication": "LambdaConfig.PostAuthentication",
    "lambda_define_auth_challenge": "LambdaConfig.DefineAuthChallenge",
    "lambda_create_auth_challenge": "LambdaConfig.CreateAuthChallenge",
    "lambda_verify_auth_challenge_response": (
        "LambdaConfig.VerifyAuthChallengeResponse"
    ),
    "user_pool_tags": "UserPoolTags",
}
# The tags, one "key=value" per line of a textarea (tags_from_text).
TAGS_FIELD = "user_pool_tags"
# Tag keys poolconsole sets itself (ATTEMPT_TAG): never the user's to type.
OWN_TAG_PREFIX = "poolconsole:"
# The checkbox that decides whether DeviceConfiguration is sent at all:
# leaving it out turns device tracking off, while sending it with both
# flags false means "always remember devices".
DEVICE_TRACKING_FIELD = "device_tracking"
DEVICE_FIELDS = (
    "device_challenge_required_on_new_device",
    "device_only_remembered_on_user_prompt",
)
INTEGER_FIELDS = frozenset({"password_minimum_length", "unused_account_validity_days"})
# Booleans sent every time, so the request says exactly what the user chose.
BOOLEAN_FIELDS = frozenset(
    {
        "password_require_uppercase",
        "password_require_lowercase",
        "password_require_numbers",
        "password_require_symbols",
        "allow_admin_create_user_only",
        *DEVICE_FIELDS,
    }
)
LIST_FIELDS = frozenset({"alias_attributes", "auto_verified_attributes"})
# Message bodies, shown in a textarea: they may hold line breaks (Cognito
# rejects them in the two verification SMS, at the field). Every other text
# field is one line, and a browser silently drops the line breaks of an
# input's value, so form_data_from_request turns them into spaces.
MULTILINE_FIELDS = frozenset(
    {
        "sms_verification_message",
        "email_verification_message",
        "sms_authentication_message",
        "invite_sms_message",
        "invite_email_message",
        TAGS_FIELD,
    }
)
# The line breaks a browser strips from an input's value (HTML's value
# sanitization: "strip newlines"), and the only ones a textarea posts:
# U+2028 and U+2029 are characters of a line (a tag may hold them).
_INPUT_LINE_BREAK = re.compile("\r\n|\r|\n")
# What Cognito makes of each boolean a request leaves out. The form always
# sends every boolean, so a request read into the form (an import, a clone)
# must tick what Cognito would have used, never fall back to False: a pool
# created without Policies requires all four character classes (moto's
# DEFAULT_USER_POOL_CONFIG; describe-user-pool of such a pool).
BOOLEAN_DEFAULTS: dict[str, bool] = {
    "password_require_uppercase": True,
    "password_require_lowercase": True,
    "password_require_numbers": True,
    "password_require_symbols": True,
    "allow_admin_create_user_only": False,
    "device_challenge_required_on_new_device": False,
    "device_only_remembered_on_user_prompt": False,
}

# Schema row field -> key of a SchemaAttributeType entry.
ROW_PATHS: dict[str, str] = {
    "attribute_data_type": "AttributeDataType",
    "developer_only": "DeveloperOnlyAttribute",
    "mutable": "Mutable",
    "required": "Required",
    "min_value": "NumberAttributeConstraints.MinValue",
    "max_value": "NumberAttributeConstraints.MaxValue",
    "min_length": "StringAttributeConstraints.MinLength",
    "max_length": "StringAttributeConstraints.MaxLength",
}
ROW_BOOLEAN_FIELDS = ("developer_only", "mutable", "required")
# Cognito's value of a Schema boolean left out (moto's _init_custom and
# STANDARD_SCHEMA). Mutable is uncertain: a CloudFormation stack has been
# seen to create such attributes immutable (aws/aws-cdk#8624), so the import
# says so at the field.
ROW_BOOLEAN_DEFAULTS: dict[str, bool] = {
    "developer_only": False,
    "mutable": True,
    "required": False,
}
ROW_TEXT_FIELDS = ("min_value", "max_value", "min_length", "max_length")
KIND_STANDARD = "standard"
KIND_CUSTOM = "custom"

_INTEGER = re.compile(r"-?[0-9]{1,30}")

# The names a design form posts: what a draft, or a post kept across a
# login, holds. Anything else is not the user's design and is not kept.
DESIGN_FIELDS = frozenset({*FIELD_PATHS, DEVICE_TRACKING_FIELD, "connection"})
ROW_FIELDS = frozenset({"kind", "standard_name", "name", *ROW_PATHS, "DELETE"})
MANAGEMENT_FIELDS = frozenset(
    {"TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"}
)
_ROW_KEY = re.compile(rf"{SCHEMA_PREFIX}-([0-9]{{1,2}})-([A-Za-z_]+)")
# Longer than any value Cognito takes (SmsConfiguration.ExternalId: 131,072
# characters), so a design the user typed is kept whole, errors and all.
MAX_DESIGN_VALUE_CHARS = 140_000
# More values than any multiple choice of the form offers.
MAX_DESIGN_VALUES = 50


def is_design_key(key: str) -> bool:
    """Return whether key is a field the design form posts."""
    if key in DESIGN_FIELDS:
        return True
    prefix, _, rest = key.partition("-")
    if prefix != SCHEMA_PREFIX:
        return False
    if rest in MANAGEMENT_FIELDS:
        return True
    match = _ROW_KEY.fullmatch(key)
    return (
        match is not None and int(match[1]) < MAX_SCHEMA_ROWS and match[2] in ROW_FIELDS
    )


def _integer_or_text(value: str) -> int | str:
    """Return value as an int when it is one, else unchanged.

    Text that is not an integer goes into the request as it is, so the
    validation module reports it at its field instead of the form guessing.
    """
    stripped = value.strip()
    if _INTEGER.fullmatch(stripped):
        # Spaces around a number are a slip, not a different value.
        return int(stripped)
    return value


def single_line(text: str) -> str:
    """Return text with each line break as a space, as a one-line input holds it."""
    return _INPUT_LINE_BREAK.sub(" ", text)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _put(request: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = request
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def schema_rows(formset) -> list:
    """Return the formset's rows that go into Schema, in order.

    Rows ticked for deletion are left out, so Schema index ``i`` is the
    ``i``-th returned row (not formset row ``i``).
    """
    rows = []
    for row in formset.forms:
        data = getattr(row, "cleaned_data", None)
        if data is None:
            continue
        if formset.can_delete and formset._should_delete_form(row):
            continue
        rows.append(row)
    return rows


def schema_entry(data: dict) -> dict:
    """Return the SchemaAttributeType entry of one cleaned formset row."""
    entry: dict[str, Any] = {}
    if data.get("kind") == KIND_STANDARD:
        name = data.get("standard_name") or ""
    else:
        name = data.get("name") or ""
    if name != "":
        entry["Name"] = name
    if not _empty(data.get("attribute_data_type")):
        entry["AttributeDataType"] = data["attribute_data_type"]
    for field in ROW_BOOLEAN_FIELDS:
        if field in data:
            entry[ROW_PATHS[field]] = bool(data[field])
    for field in ROW_TEXT_FIELDS:
        if not _empty(data.get(field)):
            _put(entry, ROW_PATHS[field], data[field])
    return entry


def tag_lines(text: str) -> list[tuple[int, str, str]]:
    """Return (line number, key, value) of each non-blank line of tags text.

    A line is ``key=value``, split at its first ``=``, each side stripped;
    a line without ``=`` gives a key of the whole line and value None.
    """
    lines = []
    for number, line in enumerate(_INPUT_LINE_BREAK.split(text), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        lines.append((number, key.strip(), value.strip() if sep else None))
    return lines


def tags_from_text(text: str) -> dict[str, str]:
    """Return the UserPoolTags of tags text (the form checked its lines)."""
    return {key: value or "" for _, key, value in tag_lines(text)}


def tag_fits_a_line(key: Any, value: Any) -> bool:
    """Return whether a tag reads back the same from a ``key=value`` line."""
    return (
        isinstance(key, str)
        and isinstance(value, str)
        and "=" not in key
        and key == key.strip()
        and value == value.strip()
        and not _INPUT_LINE_BREAK.search(f"{key}={value}")
    )


def tag_in_form(key: Any, value: Any) -> bool:
    """Return whether the tags field holds a tag: a line can hold it, and it
    is not poolconsole's own (set on every create)."""
    return tag_fits_a_line(key, value) and not key.startswith(OWN_TAG_PREFIX)


def tags_to_text(tags: dict) -> str:
    """Return tags as the form's text, one ``key=value`` per line.

    A tag the field does not hold (tag_in_form) is left out; the import
    notes it.
    """
    return "\n".join(
        f"{key}={value}" for key, value in tags.items() if tag_in_form(key, value)
    )


def request_from_cleaned(cleaned: dict, rows: list[dict]) -> dict:
    """Return the create_user_pool kwargs of cleaned form data and rows."""
    request: dict[str, Any] = {}
    for field, path in FIELD_PATHS.items():
        if field in DEVICE_FIELDS and not cleaned.get(DEVICE_TRACKING_FIELD):
            continue
        if field not in cleaned:
            continue
        if field == TAGS_FIELD:
            tags = tags_from_text(cleaned[field] or "")
            if tags:
                request[path] = tags
            continue
        value = cleaned[field]
        if field in BOOLEAN_FIELDS:
            _put(request, path, bool(value))
        elif field in LIST_FIELDS:
            if value:
                _put(request, path, list(value))
        elif _empty(value):
            continue
        elif field in INTEGER_FIELDS:
            _put(request, path, _integer_or_text(value))
        else:
            _put(request, path, value)
    if rows:
        request["Schema"] = [schema_entry(row) for row in rows]
    return request


def request_from_forms(form, formset) -> dict:
    """Return the exact create_user_pool kwargs of a cleaned form and formset.

    Empty optional fields are left out, schema constraint values stay
    strings (the API types them so), rows ticked for deletion are dropped
    and custom names are sent as typed, without the ``custom:`` prefix that
    Cognito adds.
    """
    cleaned = getattr(form, "cleaned_data", None) or {}
    rows = [row.cleaned_data for row in schema_rows(formset)]
    return request_from_cleaned(cleaned, rows)


def _get(request: Any, path: str) -> Any:
    node = request
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return str(value)


def form_data_from_request(
    request: dict, *, standard_names: frozenset[str] | set[str] | None = None
) -> QueryDict:
    """Return the form data (as a browser posts it) of a request.

    Values of a wrong type are turned into text rather than dropped, so the
    form shows them with their error instead of losing them. A checkbox can
    only be ticked or not: a boolean left out, or not true or false, is
    ticked as Cognito's default for it (``BOOLEAN_DEFAULTS``,
    ``ROW_BOOLEAN_DEFAULTS``); the import notes each one that was not a
    boolean. A one-line field gets each line break as a space, which a
    browser would otherwise drop unseen; the import notes that too.
    """
    if standard_names is None:
        from .validation import STANDARD_ATTRIBUTES

        standard_names = set(STANDARD_ATTRIBUTES)
    data = QueryDict(mutable=True)
    if not isinstance(request, dict):
        request = {}
    if isinstance(request.get("DeviceConfiguration"), dict):
        data[DEVICE_TRACKING_FIELD] = "on"
    for field, path in FIELD_PATHS.items():
        value = _get(request, path)
        if field in BOOLEAN_FIELDS:
            if _ticked(value, BOOLEAN_DEFAULTS[field]):
                data[field] = "on"
        elif value is None:
            continue
        elif field in LIST_FIELDS:
            items = value if isinstance(value, list) else [value]
            data.setlist(field, [_text(item) for item in items])
        elif field == TAGS_FIELD:
            data[field] = tags_to_text(value) if isinstance(value, dict) else ""
        elif field in MULTILINE_FIELDS:
            data[field] = _text(value)
        else:
            data[field] = single_line(_text(value))
    schema = request.get("Schema")
    entries = schema if isinstance(schema, list) else []
    prefix = SCHEMA_PREFIX
    data[f"{prefix}-TOTAL_FORMS"] = str(len(entries))
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = str(MAX_SCHEMA_ROWS)
    # TOTAL_FORMS counts every entry, so the formset says how many it could
    # not show; their data would be ignored.
    for index, entry in enumerate(entries[:MAX_SCHEMA_ROWS]):
        row = f"{prefix}-{index}-"
        if not isinstance(entry, dict):
            entry = {}
        name = entry.get("Name")
        if isinstance(name, str) and name in standard_names:
            data[row + "kind"] = KIND_STANDARD
            data[row + "standard_name"] = name
        else:
            data[row + "kind"] = KIND_CUSTOM
            if name is not None:
                data[row + "name"] = single_line(_text(name))
        for field, path in ROW_PATHS.items():
            value = _get(entry, path)
            if field in ROW_BOOLEAN_FIELDS:
                if _ticked(value, ROW_BOOLEAN_DEFAULTS[field]):
                    data[row + field] = "on"
            elif value is not None:
                data[row + field] = single_line(_text(value))
    return data


def _ticked(value: Any, default: bool) -> bool:
    """Return whether a checkbox of a request boolean is ticked."""
    return value if isinstance(value, bool) else default
