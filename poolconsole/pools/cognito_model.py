"""Read CreateUserPool field constraints from botocore's service model.

The constraints (length, range, pattern, enum) come from the model botocore
ships, loaded once at run time, so they never drift from the API. A fallback
table with the same values (botocore 1.44, see
/work/shared/COGNITO_RULES.md section 1) is used only when the model cannot be
loaded or lacks a member.

Patterns in the model are Java regular expressions matched against the whole
value; `java_fullmatch` reproduces that with the `regex` package.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

ARN_PATTERN = (
    r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?"
)
_UL = r"\p{L}\p{M}\p{S}\p{N}\p{P}"


@dataclass(frozen=True)
class FieldSpec:
    """Constraints of one request member, as the service model states them."""

    type: str
    min: int | None = None
    max: int | None = None
    pattern: str | None = None
    enum: tuple[str, ...] = ()


def _arn() -> FieldSpec:
    return FieldSpec("string", 20, 2048, ARN_PATTERN)


_BOOL = FieldSpec("boolean")
_SMS_VERIFICATION = FieldSpec("string", 6, 140, r".*\{####\}.*")
_EMAIL_SUBJECT = FieldSpec("string", 1, 140, rf"[{_UL}\s]+")
_CONSTRAINT_VALUE = FieldSpec("string", 0, 131072)

# Keyed by member path; "[]" stands for a list's member.
FALLBACK: dict[str, FieldSpec] = {
    "PoolName": FieldSpec("string", 1, 128, r"[\w\s+=,.@-]+"),
    "Policies": FieldSpec("structure"),
    "Policies.PasswordPolicy": FieldSpec("structure"),
    "Policies.PasswordPolicy.MinimumLength": FieldSpec("integer", 6, 99),
    "Policies.PasswordPolicy.RequireUppercase": _BOOL,
    "Policies.PasswordPolicy.RequireLowercase": _BOOL,
    "Policies.PasswordPolicy.RequireNumbers": _BOOL,
    "Policies.PasswordPolicy.RequireSymbols": _BOOL,
    "LambdaConfig": FieldSpec("structure"),
    **{
        f"LambdaConfig.{trigger}": _arn()
        for trigger in (
            "PreSignUp",
            "CustomMessage",
            "PostConfirmation",
            "PreAuthentication",
            "PostAuthentication",
            "DefineAuthChallenge",
            "CreateAuthChallenge",
            "VerifyAuthChallengeResponse",
        )
    },
    "AutoVerifiedAttributes": FieldSpec("list"),
    "AutoVerifiedAttributes[]": FieldSpec("string", enum=("phone_number", "email")),
    "AliasAttributes": FieldSpec("list"),
    "AliasAttributes[]": FieldSpec(
        "string", enum=("phone_number", "email", "preferred_username")
    ),
    "SmsVerificationMessage": _SMS_VERIFICATION,
    "EmailVerificationMessage": FieldSpec(
        "string", 6, 20000, rf"[{_UL}\s*]*\{{####\}}[{_UL}\s*]*"
    ),
    "EmailVerificationSubject": _EMAIL_SUBJECT,
    "SmsAuthenticationMessage": _SMS_VERIFICATION,
    "MfaConfiguration": FieldSpec("string", enum=("OFF", "ON", "OPTIONAL")),
    "DeviceConfiguration": FieldSpec("structure"),
    "DeviceConfiguration.ChallengeRequiredOnNewDevice": _BOOL,
    "DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt": _BOOL,
    "EmailConfiguration": FieldSpec("structure"),
    "EmailConfiguration.SourceArn": _arn(),
    "EmailConfiguration.ReplyToEmailAddress": FieldSpec(
        "string", pattern=rf"[{_UL}]+@[{_UL}]+"
    ),
    "SmsConfiguration": FieldSpec("structure"),
    "SmsConfiguration.SnsCallerArn": FieldSpec("string", 0, 2048, f"({ARN_PATTERN})?"),
    "SmsConfiguration.ExternalId": FieldSpec("string", 0, 131072),
    "AdminCreateUserConfig": FieldSpec("structure"),
    "AdminCreateUserConfig.AllowAdminCreateUserOnly": _BOOL,
    "AdminCreateUserConfig.UnusedAccountValidityDays": FieldSpec("integer", 0, 365),
    "AdminCreateUserConfig.InviteMessageTemplate": FieldSpec("structure"),
    "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage": FieldSpec(
        "string", 6, 140, r"(?s).*"
    ),
    "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage": FieldSpec(
        "string", 6, 20000, rf"[{_UL}\s*]*"
    ),
    "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject": _EMAIL_SUBJECT,
    "Schema": FieldSpec("list", 1, 50),
    "Schema[]": FieldSpec("structure"),
    "Schema[].Name": FieldSpec("string", 1, 20, rf"[{_UL}]+"),
    "Schema[].AttributeDataType": FieldSpec(
        "string", enum=("String", "Number", "DateTime", "Boolean")
    ),
    "Schema[].DeveloperOnlyAttribute": _BOOL,
    "Schema[].Mutable": _BOOL,
    "Schema[].Required": _BOOL,
    "Schema[].NumberAttributeConstraints": FieldSpec("structure"),
    "Schema[].NumberAttributeConstraints.MinValue": _CONSTRAINT_VALUE,
    "Schema[].NumberAttributeConstraints.MaxValue": _CONSTRAINT_VALUE,
    "Schema[].StringAttributeConstraints": FieldSpec("structure"),
    "Schema[].StringAttributeConstraints.MinLength": _CONSTRAINT_VALUE,
    "Schema[].StringAttributeConstraints.MaxLength": _CONSTRAINT_VALUE,
    "UserPoolTags": FieldSpec("map", 0, 50),
    "UserPoolTags{key}": FieldSpec(
        "string", 1, 128, r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"
    ),
    "UserPoolTags{value}": FieldSpec(
        "string", 0, 256, r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"
    ),
}


@functools.cache
def request_shape():
    """Return botocore's CreateUserPoolRequest shape, or None if unavailable."""
    try:
        import botocore.session

        model = botocore.session.get_session().get_service_model("cognito-idp")
        return model.operation_model("CreateUserPool").input_shape
    except Exception:  # noqa: BLE001 - any failure means "use the fallback"
        return None


def _shape_at(path: str):
    shape = request_shape()
    if shape is None:
        return None
    for part in path.replace("[]", ".[]").replace("{", ".{").split("."):
        if not part:
            continue
        try:
            if part == "[]":
                shape = shape.member
            elif part == "{key}":
                shape = shape.key
            elif part == "{value}":
                shape = shape.value
            else:
                shape = shape.members[part]
        except (AttributeError, KeyError):
            return None
    return shape


@functools.cache
def field_spec(path: str) -> FieldSpec:
    """Return the constraints of the member at path ("Schema[].Name").

    The model's values win; the fallback fills what the model lacks.
    """
    fallback = FALLBACK.get(path, FieldSpec("string"))
    shape = _shape_at(path)
    if shape is None:
        return fallback
    meta = shape.metadata
    enum = tuple(getattr(shape, "enum", None) or ()) or fallback.enum
    return FieldSpec(
        type=shape.type_name,
        min=meta.get("min", fallback.min),
        max=meta.get("max", fallback.max),
        pattern=meta.get("pattern", fallback.pattern),
        enum=enum,
    )


@functools.cache
def model_member_names(path: str) -> frozenset[str]:
    """Return every member name the current model knows at a structure path."""
    shape = _shape_at(path)
    try:
        return frozenset(shape.members)
    except AttributeError:
        return frozenset()


# Java's \w, \s and . (without DOTALL) are narrower than Python's.
_JAVA_CLASSES = {
    "w": "A-Za-z0-9_",
    "d": "0-9",
    "s": r" \t\n\x0B\f\r",
}
_JAVA_DOT = r"[^\n\r\u0085\u2028\u2029]"


def translate_java_pattern(pattern: str, *, unicode_word: bool = False) -> str:
    """Return a `regex` pattern that matches as the Java pattern does.

    With unicode_word, `\\w` keeps Python's Unicode meaning (used to tell a
    non-ASCII letter apart from a truly invalid character).
    """
    out: list[str] = []
    i = 0
    in_class = False
    dotall = pattern.startswith("(?s)")
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in _JAVA_CLASSES and not (nxt == "w" and unicode_word):
                body = _JAVA_CLASSES[nxt]
                out.append(body if in_class else f"[{body}]")
                i += 2
                continue
            if nxt in "pP" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                end = pattern.find("}", i)
                end = len(pattern) - 1 if end < 0 else end
                out.append(pattern[i : end + 1])
                i = end + 1
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
        elif char == "." and not dotall:
            out.append(_JAVA_DOT)
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


@functools.cache
def compiled_pattern(pattern: str, unicode_word: bool = False):
    """Return the compiled translation of a Java pattern (cached)."""
    return regex.compile(translate_java_pattern(pattern, unicode_word=unicode_word))


def java_fullmatch(pattern: str, value: str, *, unicode_word: bool = False) -> bool:
    """Return whether value matches the Java pattern as a whole."""
    return (
        compiled_pattern(pattern, unicode_word).fullmatch(value, timeout=5.0)
        is not None
    )
