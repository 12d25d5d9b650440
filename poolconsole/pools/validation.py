"""Validate a CreateUserPool request before it reaches AWS.

`validate_request` takes the keyword arguments of boto3's `create_user_pool`
(the 2016 API surface plus `UserPoolTags`) and returns every problem found,
each at the request path the user should change. Field constraints come from
botocore's service model (see `cognito_model`); the Cognito rules the model
does not express follow /work/shared/COGNITO_RULES.md (S1-S26).

The form, the formset and the `check_pool_request` command all call this
module, so they agree by construction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from . import cognito_model
from .cognito_model import FieldSpec, field_spec, java_fullmatch
from .requests import OWN_TAG_PREFIX

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding about a request, at the request path to change."""

    path: str
    message: str
    severity: str  # "error" | "warning"


# S7: Cognito's standard attributes and their fixed data types.
STANDARD_ATTRIBUTES: dict[str, str] = dict.fromkeys(
    (
        "address",
        "birthdate",
        "email",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "picture",
        "preferred_username",
        "profile",
        "website",
        "zoneinfo",
    ),
    "String",
) | {"updated_at": "Number"}


def stored_name_prefix(entry: dict) -> str:
    """Return the prefix Cognito gives a custom schema attribute's name.

    S11: ``custom:``, and ``dev:custom:`` for a developer-only one:
    CreateUserPool's sample response answers ``dev:custom:mydev``
    (SchemaAttributeType's page says ``dev:``, but the sample and moto
    agree), see
    https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
    """
    return "dev:custom:" if entry.get("DeveloperOnlyAttribute") is True else "custom:"


# How the name of a custom attribute starts once Cognito stores it.
CUSTOM_NAME_PREFIXES = ("custom:", "dev:")


def is_custom_name(name: str) -> bool:
    """Return whether a schema attribute name, as Cognito stores it, is custom."""
    return name.startswith(CUSTOM_NAME_PREFIXES)


# S9: names Cognito manages itself; never part of a design.
RESERVED_NAMES: frozenset[str] = frozenset(
    {"sub", "email_verified", "phone_number_verified", "identities"}
)

LAMBDA_TRIGGERS = (
    "PreSignUp",
    "CustomMessage",
    "PostConfirmation",
    "PreAuthentication",
    "PostAuthentication",
    "DefineAuthChallenge",
    "CreateAuthChallenge",
    "VerifyAuthChallengeResponse",
)

# The request keys this form supports. A dict is a structure, a one-item
# list is a list of structures, None is a value (scalar, list of scalars or
# the tag map).
SUPPORTED_KEYS: dict[str, Any] = {
    "PoolName": None,
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": None,
            "RequireUppercase": None,
            "RequireLowercase": None,
            "RequireNumbers": None,
            "RequireSymbols": None,
        }
    },
    "LambdaConfig": dict.fromkeys(LAMBDA_TRIGGERS),
    "AutoVerifiedAttributes": None,
    "AliasAttributes": None,
    "SmsVerificationMessage": None,
    "EmailVerificationMessage": None,
    "EmailVerificationSubject": None,
    "SmsAuthenticationMessage": None,
    "MfaConfiguration": None,
    "DeviceConfiguration": {
        "ChallengeRequiredOnNewDevice": None,
        "DeviceOnlyRememberedOnUserPrompt": None,
    },
    "EmailConfiguration": {"SourceArn": None, "ReplyToEmailAddress": None},
    "SmsConfiguration": {"SnsCallerArn": None, "ExternalId": None},
    "AdminCreateUserConfig": {
        "AllowAdminCreateUserOnly": None,
        "UnusedAccountValidityDays": None,
        "InviteMessageTemplate": {
            "SMSMessage": None,
            "EmailMessage": None,
            "EmailSubject": None,
        },
    },
    "Schema": [
        {
            "Name": None,
            "AttributeDataType": None,
            "DeveloperOnlyAttribute": None,
            "Mutable": None,
            "Required": None,
            "NumberAttributeConstraints": {"MinValue": None, "MaxValue": None},
            "StringAttributeConstraints": {"MinLength": None, "MaxLength": None},
        }
    ],
    "UserPoolTags": None,
}

# COGNITO_RULES section 4: parameters added after 2016, by structure path.
NEWER_KEYS: dict[str, frozenset[str]] = {
    "": frozenset(
        {
            "UsernameAttributes",
            "VerificationMessageTemplate",
            "AccountRecoverySetting",
            "DeletionProtection",
            "UserPoolAddOns",
            "UsernameConfiguration",
            "UserAttributeUpdateSettings",
            "UserPoolTier",
            "DcrConfiguration",
            "KeyConfiguration",
            "IssuerConfiguration",
            "AcrConfiguration",
        }
    ),
    "Policies.PasswordPolicy": frozenset(
        {"PasswordHistorySize", "TemporaryPasswordValidityDays"}
    ),
    "Policies": frozenset({"SignInPolicy"}),
    "LambdaConfig": frozenset(
        {
            "PreTokenGeneration",
            "UserMigration",
            "PreTokenGenerationConfig",
            "CustomSMSSender",
            "CustomEmailSender",
            "KMSKeyID",
            "InboundFederation",
        }
    ),
    "EmailConfiguration": frozenset(
        {"EmailSendingAccount", "From", "ConfigurationSet"}
    ),
    "SmsConfiguration": frozenset({"SnsRegion", "EumsSms"}),
}

MAX_STRING_CONSTRAINT = 2048  # S12
MAX_NUMBER_VALUE = Decimal(2**1023)  # model doc of MaxValue; exact, not rounded

_UL = r"\p{L}\p{M}\p{S}\p{N}\p{P}"
# Characters each free-text field may hold, to name the first offending one.
_ALLOWED_CHARS = {
    "EmailVerificationMessage": rf"[{_UL}\s*]",
    "EmailVerificationSubject": rf"[{_UL}\s]",
    "EmailConfiguration.ReplyToEmailAddress": rf"[{_UL}]",
    "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage": rf"[{_UL}\s*]",
    "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject": rf"[{_UL}\s]",
    "Schema[].Name": rf"[{_UL}]",
    "PoolName": r"[\w\s+=,.@-]",
}
_SMS_VERIFICATION_FIELDS = ("SmsVerificationMessage", "SmsAuthenticationMessage")
_LINE_BREAKS = re.compile("[\n\r\u0085\u2028\u2029]")
# Half of a UTF-16 surrogate pair: JSON can write one ("\\ud800"), but it is
# not a character, so no page or request can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_TYPE_WORDS = {
    "string": "text (a JSON string)",
    "integer": "a whole number",
    "boolean": "true or false",
    "list": "a list",
    "structure": "an object",
    "map": "an object of text keys and text values",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _safe(text: Any, limit: int = 60) -> str:
    """Return text fit to quote in a message: short, non-printables escaped."""
    text = str(text)
    shown = "".join(
        char
        if char.isprintable() and not 0xD800 <= ord(char) <= 0xDFFF
        else char.encode("unicode_escape", "backslashreplace").decode("ascii")
        for char in text[:limit]
    )
    return shown + ("…" if len(text) > limit else "")


def lone_surrogate(text: str) -> str | None:
    """Return the first lone surrogate of text (JSON can write one), or None."""
    found = _SURROGATE.search(text)
    return found.group() if found else None


def surrogate_message(char: str) -> str:
    """Return the message about a lone surrogate, shown at its field."""
    return (
        f"Remove {_safe(char)}: it is a lone surrogate escape, half of a "
        "character written as two \\u escapes (such as an emoji), and not "
        "text on its own. Write the whole character or remove it."
    )


def _char_name(char: str) -> str:
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = "a control character"
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _utf16_length(value: str) -> int:
    return len(value) + sum(1 for char in value if ord(char) > 0xFFFF)


def _has_type(value: Any, type_name: str) -> bool:
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "list":
        return isinstance(value, list)
    if type_name in ("structure", "map"):
        return isinstance(value, dict)
    return True


class _Checker:
    """Collect the problems of one request."""

    def __init__(self) -> None:
        # A dict, not a list: it keeps the order and finds a repeated
        # problem in constant time (a list made a request of thousands of
        # entries cost seconds, quadratically).
        self._problems: dict[Problem, None] = {}

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def error(self, path: str, message: str) -> None:
        self._add(Problem(path, message, ERROR))

    def warning(self, path: str, message: str) -> None:
        self._add(Problem(path, message, WARNING))

    def _add(self, problem: Problem) -> None:
        self._problems.setdefault(problem)

    # Generic checks driven by the service model.

    def unknown_key(self, parent: str, spec_parent: str, key: Any) -> None:
        shown = _safe(key, 100)
        path = f"{parent}.{shown}" if parent else shown
        newer = NEWER_KEYS.get(spec_parent, frozenset()) | (
            cognito_model.model_member_names(spec_parent)
        )
        if isinstance(key, str) and key in newer:
            self.error(
                path,
                f"{shown} is newer than this form supports (not supported by "
                "this form yet); remove it, or set it after the pool is created.",
            )
        else:
            where = f"in {parent}" if parent else "at the top level"
            self.error(
                path,
                f"Unknown parameter {shown} {where}; CreateUserPool has no such "
                "key. Check the spelling or remove it.",
            )

    def value(self, path: str, spec_path: str, value: Any, children: Any) -> bool:
        """Check value against the model; return whether its type is right."""
        spec = _spec(spec_path)
        if not _has_type(value, spec.type):
            if (
                spec_path.startswith("Schema[].")
                and spec_path.endswith(("Value", "Length"))
                and isinstance(value, int | float)
                and not isinstance(value, bool)
            ):
                example = f"{value}" if abs(value) < 10**30 else "64"
                self.error(path, f'Write the number as text, e.g. "{example}".')
                return False
            self.error(
                path,
                f"Enter {_TYPE_WORDS.get(spec.type, spec.type)}, "
                f"not {_json_type(value)}.",
            )
            return False
        if spec.type == "string":
            self.string(path, spec_path, spec, value)
        elif spec.type == "integer":
            self.integer(path, spec, value)
        elif spec.type == "list":
            self.list(path, spec_path, spec, value, children)
        elif spec.type == "structure":
            self.structure(path, spec_path, value, children or {})
        elif spec.type == "map":
            self.tags(path, spec_path, spec, value)
        return True

    def structure(self, path: str, spec_path: str, value: dict, children: dict) -> None:
        for key, item in value.items():
            if key not in children:
                self.unknown_key(path, spec_path, key)
                continue
            self.value(
                f"{path}.{key}" if path else key,
                f"{spec_path}.{key}" if spec_path else key,
                item,
                children[key],
            )

    def list(
        self, path: str, spec_path: str, spec: FieldSpec, value: list, children: Any
    ) -> None:
        if spec.min is not None and len(value) < spec.min:
            self.error(
                path,
                f"Add at least {spec.min} entry, or leave {path} out to use "
                "Cognito's default.",
            )
        if spec.max is not None and len(value) > spec.max:
            self.error(
                path,
                f"Cognito allows at most {spec.max} entries here; this has "
                f"{len(value)}. Remove {len(value) - spec.max}.",
            )
        member = children[0] if isinstance(children, list) and children else None
        # Entries past the limit are to be removed whatever they hold; not
        # checking them keeps a forged request of thousands cheap.
        for index, item in enumerate(value[: spec.max]):
            self.value(f"{path}.{index}", f"{spec_path}[]", item, member)

    def integer(self, path: str, spec: FieldSpec, value: int) -> None:
        low, high = spec.min, spec.max
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(path, f"Enter a number from {low} to {high}.")

    def string(self, path: str, spec_path: str, spec: FieldSpec, value: str) -> None:
        surrogate = lone_surrogate(value)
        if surrogate is not None:
            # Cognito cannot take it, and no page can show it: every string,
            # patterned or not, is checked so the form and the command agree.
            self.error(path, surrogate_message(surrogate))
            return
        length = len(value)
        if spec.min is not None and length < spec.min:
            if spec.pattern and "arn:" in spec.pattern:
                self.error(path, _arn_message(spec_path, length))
            elif spec.min == 1:
                self.error(path, "This field cannot be empty.")
            else:
                self.error(
                    path,
                    f"Enter at least {spec.min} characters (this has {length}).",
                )
            return
        if spec.max is not None and length > spec.max:
            self.error(
                path, f"Enter at most {spec.max} characters (this has {length})."
            )
            return
        if spec.max is not None and _utf16_length(value) > spec.max:
            self.warning(
                path,
                f"Cognito may count each emoji or other character outside the "
                f"Basic Multilingual Plane as two, which makes this "
                f"{_utf16_length(value)} characters, over the limit of "
                f"{spec.max}; shorten it to be safe.",
            )
        if spec.enum and value not in spec.enum:
            self.error(path, f"Choose one of: {', '.join(spec.enum)}.")
            return
        if spec.pattern:
            self.pattern(path, spec_path, spec.pattern, value)

    def pattern(self, path: str, spec_path: str, pattern: str, value: str) -> None:
        # Every literal of these patterns is in the field's allowed class, so
        # a character outside it fails the pattern; checking it first avoids
        # quadratic backtracking on long messages.
        if spec_path != "PoolName" and _first_bad_char(spec_path, value):
            self.error(path, _pattern_message(spec_path, pattern, value))
            return
        try:
            if java_fullmatch(pattern, value):
                return
            if spec_path == "PoolName" and java_fullmatch(
                pattern, value, unicode_word=True
            ):
                self.warning(
                    path,
                    "Cognito's pattern probably allows only ASCII letters "
                    "(A-Z, a-z), digits and _ here, so it may reject the "
                    "non-ASCII letters in this name (uncertain); use ASCII "
                    "letters to be safe.",
                )
                return
        except TimeoutError:
            self.warning(path, "This value is too complex to check fully.")
            return
        self.error(path, _pattern_message(spec_path, pattern, value))

    def tags(self, path: str, spec_path: str, spec: FieldSpec, value: dict) -> None:
        # The user's tags are those without poolconsole's prefix.
        own = [k for k in value if isinstance(k, str) and k.startswith(OWN_TAG_PREFIX)]
        users = len(value) - len(own)
        limit = user_tag_limit()
        if users > limit:
            self.error(
                path,
                f"Enter at most {limit} tags (this has {users}): a pool takes "
                f"{limit + 1}, and poolconsole adds its own.",
            )
        for key, item in value.items():
            if not isinstance(key, str):
                self.error(path, "Tag keys must be text.")
                continue
            tag_path = f"{path}.{_safe(key, 100)}"
            # The form shows every tag in one field: each message names its tag.
            tag = f"Tag {_safe(key, 40)}: " if key else "A tag: "
            surrogate = lone_surrogate(key) or (
                lone_surrogate(item) if isinstance(item, str) else None
            )
            if surrogate is not None:
                self.error(tag_path, surrogate_message(surrogate))
                continue
            key_spec = _spec(f"{spec_path}{{key}}")
            if not key or (key_spec.max is not None and len(key) > key_spec.max):
                self.error(
                    tag_path,
                    f"{tag}use a tag key of 1 to {key_spec.max} characters.",
                )
            elif key_spec.pattern and not _safe_fullmatch(key_spec.pattern, key):
                self.error(
                    tag_path,
                    f"{tag}use a key of letters, digits, spaces and _ . : / = + - @ "
                    "that does not start with aws:.",
                )
            value_spec = _spec(f"{spec_path}{{value}}")
            if not isinstance(item, str):
                self.error(
                    tag_path,
                    f"{tag}enter the tag value as text, not {_json_type(item)}.",
                )
            elif value_spec.max is not None and len(item) > value_spec.max:
                self.error(
                    tag_path,
                    f"{tag}use a value of at most {value_spec.max} characters.",
                )
            elif value_spec.pattern and not _safe_fullmatch(value_spec.pattern, item):
                self.error(
                    tag_path,
                    f"{tag}use a value of letters, digits, spaces and _ . : / = + - @.",
                )


def user_tag_limit() -> int:
    """Return how many tags a request may give: Cognito takes 50, and every
    create adds poolconsole's own (tagged_request)."""
    return (_spec("UserPoolTags").max or 50) - 1


def schema_limit() -> int:
    """Return how many Schema entries Cognito takes (S5: 50)."""
    return _spec("Schema").max or 50


def _safe_fullmatch(pattern: str, value: str) -> bool:
    try:
        return java_fullmatch(pattern, value)
    except TimeoutError:
        return True


def _spec(spec_path: str) -> FieldSpec:
    """Return the field's constraints, with the 2016 differences applied."""
    if spec_path == "SmsConfiguration.SnsCallerArn":
        # 2016: required and an ARN (min 20) whenever SmsConfiguration is
        # given; it became optional only with EumsSms, not in this form.
        return field_spec("EmailConfiguration.SourceArn")
    return field_spec(spec_path)


def _first_bad_char(
    spec_path: str, value: str, *, unicode_word: bool = False
) -> str | None:
    allowed = _ALLOWED_CHARS.get(spec_path)
    if allowed is None:
        return None
    found = cognito_model.compiled_pattern("[^" + allowed[1:], unicode_word).search(
        value
    )
    return found.group() if found else None


_ARN_EXAMPLES = {
    "SmsConfiguration": "arn:aws:iam::123456789012:role/CognitoSms",
    "EmailConfiguration": (
        "arn:aws:ses:us-east-1:123456789012:identity/support@example.com"
    ),
    "LambdaConfig": "arn:aws:lambda:us-east-1:123456789012:function:my-trigger",
}


def _arn_message(spec_path: str, length: int | None = None) -> str:
    example = _ARN_EXAMPLES.get(spec_path.split(".")[0], _ARN_EXAMPLES["LambdaConfig"])
    if spec_path == "SmsConfiguration.SnsCallerArn" and length == 0:
        return (
            "Enter the ARN of the IAM role Cognito uses to send SMS, such as "
            f"{example}; it is required when SMS is configured."
        )
    too_short = " (this is too short)" if length else ""
    return f"Enter an ARN such as {example}{too_short}."


def _pattern_message(spec_path: str, pattern: str, value: str) -> str:
    stripped = value.strip()
    if (
        ("arn:" in pattern or spec_path == "EmailConfiguration.ReplyToEmailAddress")
        and stripped
        and stripped != value
        and java_fullmatch(pattern, stripped)
    ):
        return "Remove the spaces at the start or the end; Cognito rejects them."
    if "arn:" in pattern:
        return _arn_message(spec_path)
    if spec_path in _SMS_VERIFICATION_FIELDS:
        if "{####}" not in value:
            return (
                "Include the {####} placeholder, which Cognito replaces with the code."
            )
        if _LINE_BREAKS.search(value):
            return "Keep this message on one line; Cognito rejects line breaks here."
    if spec_path == "EmailVerificationMessage" and "{####}" not in value:
        return "Include the {####} placeholder, which Cognito replaces with the code."
    bad = _first_bad_char(spec_path, value)
    if spec_path == "EmailConfiguration.ReplyToEmailAddress" and bad is None:
        return (
            "Enter an email address such as support@example.com, with text "
            "before and after the @."
        )
    if spec_path == "PoolName":
        # Name a character no reading of the pattern allows, not a non-ASCII
        # letter that Cognito may take (the check above only warns of it).
        bad = _first_bad_char(spec_path, value, unicode_word=True) or bad
        return "Use only letters, digits, spaces and + = , . @ -" + (
            f"; remove {_char_name(bad)}." if bad else "."
        )
    if bad is not None:
        if bad.isspace():
            if _first_bad_char(spec_path, " ") is None:
                # Ordinary spaces are fine here; only this kind of space is not.
                return (
                    f"Remove {_char_name(bad)} or use an ordinary space; "
                    "Cognito does not accept this character here."
                )
            return f"Remove {_char_name(bad)}; whitespace is not allowed here."
        return f"Remove {_char_name(bad)}; Cognito does not accept this character."
    return f"Cognito does not accept this value (it must match {pattern})."


def _number(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, ValueError):
        return None


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]


def validate_request(request: Any) -> list[Problem]:
    """Return every problem of a create_user_pool request; never raise."""
    try:
        return _validate(request)
    except Exception:  # noqa: BLE001 - the contract is "never raises"
        return [
            Problem(
                "",
                "This request could not be checked completely; review it, or "
                "report it as a poolconsole bug.",
                ERROR,
            )
        ]


def _validate(request: Any) -> list[Problem]:
    checker = _Checker()
    if not isinstance(request, dict):
        checker.error(
            "", f"The request must be a JSON object, not {_json_type(request)}."
        )
        return checker.problems
    if "PoolName" not in request:
        checker.error("PoolName", "Enter a pool name; CreateUserPool requires it.")
    checker.structure("", "", request, SUPPORTED_KEYS)
    _check_sms_rules(checker, request)
    _check_messages(checker, request)
    _check_schema(checker, request)
    _check_misc(checker, request)
    return checker.problems


def _check_sms_rules(checker: _Checker, request: dict) -> None:
    sms = request.get("SmsConfiguration")
    arn_path = "SmsConfiguration.SnsCallerArn"
    if isinstance(sms, dict) and "SnsCallerArn" not in sms:
        checker.error(
            arn_path,
            "Enter the ARN of the IAM role Cognito uses to send SMS; it is "
            "required when SMS is configured.",
        )
    has_sms = isinstance(sms, dict)
    auto_verified = _strings(request.get("AutoVerifiedAttributes"))
    mfa = request.get("MfaConfiguration")
    if mfa in ("ON", "OPTIONAL"):
        if not has_sms:  # S1
            checker.error(
                arn_path,
                f"MFA {mfa} sends codes by SMS: enter the SNS caller role ARN "
                "(SmsConfiguration), or turn MFA off.",
            )
        if "phone_number" not in auto_verified:  # S2, uncertain
            checker.warning(
                "AutoVerifiedAttributes",
                f"With MFA {mfa}, Cognito has been seen to also require "
                "phone_number auto-verification (uncertain); add phone_number "
                "to be safe.",
            )
    if "phone_number" in auto_verified and not has_sms:  # S3
        checker.error(
            arn_path,
            "Auto-verifying phone_number sends SMS: enter the SNS caller role "
            "ARN (SmsConfiguration), or stop auto-verifying phone_number.",
        )


def _check_messages(checker: _Checker, request: dict) -> None:
    # S17: invitations must name the user; the temporary password is optional
    # in the current model (uncertain), so its absence is only a warning.
    invite = _dict(
        _dict(request.get("AdminCreateUserConfig")).get("InviteMessageTemplate")
    )
    base = "AdminCreateUserConfig.InviteMessageTemplate"
    for key, kind in (("SMSMessage", "SMS"), ("EmailMessage", "email")):
        message = invite.get(key)
        if not isinstance(message, str):
            continue
        if "{username}" not in message:
            checker.error(
                f"{base}.{key}",
                f"Include the {{username}} placeholder; Cognito requires it in "
                f"the invitation {kind}.",
            )
        if "{####}" not in message:
            checker.warning(
                f"{base}.{key}",
                "Without the {####} placeholder, invited users don't get their "
                "temporary password (uncertain whether Cognito accepts it); add "
                "{####} unless they sign in another way.",
            )
    # S18: only invitations substitute {username}.
    for key in ("EmailVerificationMessage", "SmsVerificationMessage"):
        message = request.get(key)
        if isinstance(message, str) and "{username}" in message:
            checker.warning(
                key,
                "{username} is not replaced in verification messages; it is "
                "sent literally. Remove it.",
            )
    # S26: whitespace-only values pass Cognito's pattern (uncertain).
    for path, value in (
        ("PoolName", request.get("PoolName")),
        ("EmailVerificationSubject", request.get("EmailVerificationSubject")),
        (f"{base}.EmailSubject", invite.get("EmailSubject")),
    ):
        if isinstance(value, str) and value and not value.strip():
            checker.warning(
                path,
                "This is only whitespace; Cognito may accept it (uncertain), "
                "but enter visible text.",
            )


def _check_misc(checker: _Checker, request: dict) -> None:
    password = _dict(_dict(request.get("Policies")).get("PasswordPolicy"))
    admin = _dict(request.get("AdminCreateUserConfig"))
    if (
        "TemporaryPasswordValidityDays" in password
        and "UnusedAccountValidityDays" in admin
    ):
        checker.error(  # S22
            "AdminCreateUserConfig.UnusedAccountValidityDays",
            "Cognito rejects UnusedAccountValidityDays together with "
            "TemporaryPasswordValidityDays; remove UnusedAccountValidityDays.",
        )
    for key in ("AutoVerifiedAttributes", "AliasAttributes"):
        items = _strings(request.get(key))
        if len(items) != len(set(items)):
            checker.warning(key, "An attribute is listed twice; list it once.")
    _check_arn_resources(checker, request)


# The AWS service whose resource each ARN field names (S25: the API's
# pattern takes any ARN; Cognito finds out at create time, or at sign-in).
_ARN_SERVICES = {
    **{
        f"LambdaConfig.{key}": ("lambda", "a Lambda function")
        for key in LAMBDA_TRIGGERS
    },
    "SmsConfiguration.SnsCallerArn": ("iam", "an IAM role"),
    "EmailConfiguration.SourceArn": ("ses", "an SES verified identity"),
}
_ARN_PARTS = re.compile(r"arn:[^:]+:([^:]*):[^:]*:([^:]*):")


def _check_arn_resources(checker: _Checker, request: dict) -> None:
    for path, (service, what) in _ARN_SERVICES.items():
        parent, key = path.split(".")
        value = _dict(request.get(parent)).get(key)
        parts = _ARN_PARTS.match(value) if isinstance(value, str) else None
        if parts is None:
            continue  # not an ARN at all: the pattern check says so
        if parts[1] != service:
            checker.warning(
                path,
                f"This ARN names a resource of {_safe(parts[1]) or 'no service'}, "
                f"not {what} (arn:aws:{service}:…); Cognito would fail to use it.",
            )
        elif not re.fullmatch(r"[0-9]{12}", parts[2]):
            checker.warning(
                path,
                "An AWS account ID has 12 digits; the account in this ARN has "
                f"{len(parts[2])} characters. Copy the ARN from the AWS console.",
            )


def _check_schema(checker: _Checker, request: dict) -> None:
    schema = request.get("Schema")
    if not isinstance(schema, list):
        return
    aliases = _strings(request.get("AliasAttributes"))
    seen: dict[str, int] = {}
    for index, entry in enumerate(schema[: schema_limit()]):
        if isinstance(entry, dict):
            _check_schema_entry(checker, f"Schema.{index}", entry, seen, index, aliases)


def _check_schema_entry(
    checker: _Checker,
    path: str,
    entry: dict,
    seen: dict[str, int],
    index: int,
    aliases: list[str],
) -> None:
    name = entry.get("Name")
    data_type = entry.get("AttributeDataType")
    effective_type = data_type if isinstance(data_type, str) else None
    if "Name" not in entry:
        checker.error(f"{path}.Name", "Give the attribute a name.")
    elif isinstance(name, str):
        if name in seen:  # S15, uncertain: reject like AddCustomAttributes
            checker.error(
                f"{path}.Name",
                f"Attribute {_safe(name)} is already defined in row "
                f"{seen[name] + 1}; use each name once.",
            )
        else:
            seen[name] = index
        if name in RESERVED_NAMES:  # S9
            checker.error(
                f"{path}.Name",
                f"{name} is managed by Cognito and cannot be defined in the "
                "schema; remove this row.",
            )
        elif name in STANDARD_ATTRIBUTES:
            effective_type = STANDARD_ATTRIBUTES[name]
            if isinstance(data_type, str) and data_type != effective_type:  # S7
                checker.error(
                    f"{path}.AttributeDataType",
                    f"{name} is a standard attribute of type {effective_type}; "
                    "its type cannot be changed.",
                )
            if entry.get("DeveloperOnlyAttribute") is True:  # S8
                checker.error(
                    f"{path}.DeveloperOnlyAttribute",
                    f"{name} is a standard attribute and cannot be developer-only.",
                )
            if (
                name == "preferred_username"
                and entry.get("Required") is True
                and "preferred_username" in aliases
            ):  # S24, uncertain
                checker.warning(
                    f"{path}.Required",
                    "The Cognito docs say preferred_username cannot be both "
                    "required and an alias, though pools with both exist "
                    "(uncertain); make it optional to be safe.",
                )
        else:
            _check_custom_entry(checker, path, entry, name)
    for key, expected in (
        ("StringAttributeConstraints", "String"),
        ("NumberAttributeConstraints", "Number"),
    ):
        if (
            isinstance(entry.get(key), dict)
            and effective_type is not None
            and effective_type != expected
        ):
            checker.warning(
                f"{path}.{key}",
                f"These constraints apply only to {expected} attributes; "
                f"Cognito ignores them for a {_safe(effective_type)} attribute. "
                "Remove them.",
            )
    _check_string_constraints(checker, path, entry)
    _check_number_constraints(checker, path, entry)


def _check_custom_entry(checker: _Checker, path: str, entry: dict, name: str) -> None:
    stored = stored_name_prefix(entry)
    for prefix in CUSTOM_NAME_PREFIXES:
        if name.startswith(prefix):
            checker.warning(
                f"{path}.Name",
                f"Enter the name without {prefix}; Cognito adds the prefix "
                f"itself, so this would be stored as {stored}{_safe(name)}.",
            )
            break
    if name.lower() in STANDARD_ATTRIBUTES and name not in STANDARD_ATTRIBUTES:
        checker.warning(
            f"{path}.Name",
            f"Names are case-sensitive: this creates a custom attribute, not "
            f"the standard attribute {name.lower()}.",
        )
    if "AttributeDataType" not in entry:  # S10
        checker.error(
            f"{path}.AttributeDataType",
            "Choose a data type; custom attributes need one.",
        )
    if entry.get("Required") is True:  # S4
        checker.error(
            f"{path}.Required",
            "Custom attributes cannot be required; Cognito rejects them. "
            "Make it optional.",
        )


def _constraint_text(checker: _Checker, path: str, value: Any) -> str | None:
    """Return a constraint value if it is non-empty text (S14), else report."""
    if isinstance(value, str):
        if value == "":
            checker.warning(
                path, "An empty value is ignored (uncertain); leave it out instead."
            )
            return None
        return value
    # S14: other types were reported by the model check.
    return None


def _spaced_number(text: str) -> str | None:
    """Return what to say of a number written with spaces around it."""
    if text != text.strip() and _DECIMAL.fullmatch(text.strip()):
        return f"Remove the spaces around {text.strip()}; Cognito rejects them."
    return None


def _check_string_constraints(checker: _Checker, path: str, entry: dict) -> None:
    constraints = entry.get("StringAttributeConstraints")
    if not isinstance(constraints, dict):
        return
    base = f"{path}.StringAttributeConstraints"
    bounds: dict[str, Decimal] = {}
    for key in ("MinLength", "MaxLength"):
        if key not in constraints:
            continue
        text = _constraint_text(checker, f"{base}.{key}", constraints[key])
        if text is None or len(text) > 131072:
            continue
        if not _WHOLE_NUMBER.fullmatch(text):  # S12
            checker.error(
                f"{base}.{key}",
                _spaced_number(text)
                or f"Enter a whole number from 0 to {MAX_STRING_CONSTRAINT}.",
            )
            continue
        number = Decimal(text)
        if number > MAX_STRING_CONSTRAINT:
            checker.error(
                f"{base}.{key}",
                f"String attributes hold at most {MAX_STRING_CONSTRAINT} "
                f"characters; enter a number from 0 to {MAX_STRING_CONSTRAINT}.",
            )
            continue
        bounds[key] = number
    if len(bounds) == 2 and bounds["MinLength"] > bounds["MaxLength"]:
        checker.error(
            f"{base}.MaxLength",
            f"MaxLength must be at least MinLength ({bounds['MinLength']}).",
        )


def _check_number_constraints(checker: _Checker, path: str, entry: dict) -> None:
    constraints = entry.get("NumberAttributeConstraints")
    if not isinstance(constraints, dict):
        return
    base = f"{path}.NumberAttributeConstraints"
    bounds: dict[str, Decimal] = {}
    for key in ("MinValue", "MaxValue"):
        if key not in constraints:
            continue
        text = _constraint_text(checker, f"{base}.{key}", constraints[key])
        if text is None or len(text) > 131072:
            continue
        if not _DECIMAL.fullmatch(text):
            checker.error(
                f"{base}.{key}",
                _spaced_number(text) or "Enter a number, such as 0 or 100.",
            )
            continue
        number = _number(text)
        if number is None:
            continue
        # S13: negative and decimal bounds are uncertain (moto rejects them,
        # AWS documents nothing), so warn rather than reject.
        if number < 0:
            checker.warning(
                f"{base}.{key}",
                "Negative bounds may be rejected by Cognito (uncertain); use 0 "
                "or more to be safe.",
            )
        if "." in text:
            checker.warning(
                f"{base}.{key}",
                "Decimal bounds may be rejected by Cognito (uncertain); use a "
                "whole number to be safe.",
            )
        if key == "MaxValue" and number > MAX_NUMBER_VALUE:
            checker.error(f"{base}.{key}", "Enter a number no greater than 2^1023.")
            continue
        bounds[key] = number
    if len(bounds) == 2 and bounds["MinValue"] > bounds["MaxValue"]:
        checker.error(
            f"{base}.MaxValue",
            "MaxValue must be at least MinValue.",
        )


# AWS error paths.

_AWS_ERROR = re.compile(
    r"at '(?P<path>[A-Za-z0-9_.]+)' failed to satisfy constraint: ", re.ASCII
)


def aws_path_to_request_path(aws_path: str) -> str:
    """Map AWS's `schema.2.member.name` to the request's `Schema.1.Name`."""
    try:
        parts = str(aws_path).split(".")
    except Exception:  # noqa: BLE001
        return ""
    shape = cognito_model.request_shape()
    out: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.isdigit() and part.isascii():
            out.append(str(max(int(part) - 1, 0)))
            if i + 1 < len(parts) and parts[i + 1] == "member":
                i += 1
            shape = getattr(shape, "member", None)
            i += 1
            continue
        members = getattr(shape, "members", None) or {}
        match = next((key for key in members if key.lower() == part.lower()), None)
        if match is None:
            match = _supported_key_like(part) or (part[:1].upper() + part[1:])
            shape = None
        else:
            shape = members[match]
        out.append(match)
        i += 1
    return ".".join(out)


def _supported_key_like(part: str) -> str | None:
    stack = [SUPPORTED_KEYS]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, child in node.items():
                if key.lower() == part.lower():
                    return key
                stack.append(child)
    return None


def parse_aws_validation_message(message: Any) -> list[tuple[str, str]]:
    """Split an AWS validation error into (request path, constraint) pairs."""
    try:
        text = str(message)
        matches = list(_AWS_ERROR.finditer(text))
        if not matches:
            return [("", text)]
        result = []
        for number, match in enumerate(matches):
            end = len(text)
            if number + 1 < len(matches):
                following = text.rfind(
                    "; Value", match.end(), matches[number + 1].start()
                )
                end = following if following >= 0 else matches[number + 1].start()
            constraint = text[match.end() : end].strip().rstrip(";").strip()
            result.append((aws_path_to_request_path(match["path"]), constraint))
        return result
    except Exception:  # noqa: BLE001
        return [("", str(message)[:1000])]


# How Cognito (and moto) name a Schema attribute in a message without a
# path: "custom:score: ...", "user.score: ...", "for schema attribute score".
# moto writes a custom attribute's name with its prefix ("user.custom:tier:",
# "schema attribute custom:tier"): the prefix is not part of the Name.
_NAMED_ATTRIBUTE = re.compile(
    r"(?:\buser\.|schema attribute |\b)(?:dev:)?custom:([^\s:,;]+)"
    r"|\buser\.([^\s:,;]+):"
    r"|schema attribute ([^\s:,;]+)"
)


def schema_path_named_in(message: Any, request: Any) -> str | None:
    """Return the path of the Schema entry an AWS message names, if any."""
    schema = request.get("Schema") if isinstance(request, dict) else None
    if not isinstance(schema, list):
        return None
    names = set()
    for found in _NAMED_ATTRIBUTE.finditer(str(message)):
        name = next(name for name in found.groups() if name)
        names |= {name, name.rstrip(".")}  # "... custom:tier." ends a sentence
    for index, entry in enumerate(schema):
        if isinstance(entry, dict) and entry.get("Name") in names:
            return f"Schema.{index}"
    return None


__all__ = [
    "ERROR",
    "RESERVED_NAMES",
    "STANDARD_ATTRIBUTES",
    "SUPPORTED_KEYS",
    "WARNING",
    "Problem",
    "lone_surrogate",
    "schema_limit",
    "schema_path_named_in",
    "user_tag_limit",
    "surrogate_message",
    "aws_path_to_request_path",
    "parse_aws_validation_message",
    "validate_request",
]
