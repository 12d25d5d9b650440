"""Tests of validate_request: field boundaries, rules S1-S26, AWS paths, fuzz."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poolconsole.pools import cognito_model
from poolconsole.pools.validation import (
    RESERVED_NAMES,
    STANDARD_ATTRIBUTES,
    SUPPORTED_KEYS,
    Problem,
    aws_path_to_request_path,
    parse_aws_validation_message,
    validate_request,
)

ROLE_ARN = "arn:aws:iam::123456789012:role/CognitoSms"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:trigger"
SES_ARN = "arn:aws:ses:us-east-1:123456789012:identity/support@example.com"
INVITE = "Hello {username}, your password is {####}"
INTERNAL = "could not be checked completely"


def base_request():
    """Return a valid request touching every supported field."""
    return {
        "PoolName": "demo",
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": False,
                "RequireSymbols": False,
            }
        },
        "LambdaConfig": {"PreSignUp": LAMBDA_ARN},
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "AliasAttributes": ["email", "preferred_username"],
        "SmsVerificationMessage": "Your code is {####}",
        "EmailVerificationMessage": "<p>Your code is {####}</p>",
        "EmailVerificationSubject": "Your code",
        "SmsAuthenticationMessage": "Sign-in code {####}",
        "MfaConfiguration": "OPTIONAL",
        "DeviceConfiguration": {
            "ChallengeRequiredOnNewDevice": True,
            "DeviceOnlyRememberedOnUserPrompt": False,
        },
        "EmailConfiguration": {
            "SourceArn": SES_ARN,
            "ReplyToEmailAddress": "support@example.com",
        },
        "SmsConfiguration": {"SnsCallerArn": ROLE_ARN, "ExternalId": "ext-1"},
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": False,
            "UnusedAccountValidityDays": 7,
            "InviteMessageTemplate": {
                "SMSMessage": INVITE,
                "EmailMessage": INVITE,
                "EmailSubject": "Welcome",
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
                "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"},
            },
        ],
        "UserPoolTags": {"poolconsole:attempt": "4f1c"},
    }


def with_value(path, value):
    """Return base_request() with value at the dotted path."""
    request = base_request()
    parts = path.split(".")
    node = request
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return request


def errors(problems, path=None):
    return [
        p
        for p in problems
        if p.severity == "error" and (path is None or p.path == path)
    ]


def warnings(problems, path=None):
    return [
        p
        for p in problems
        if p.severity == "warning" and (path is None or p.path == path)
    ]


def test_base_request_is_valid_without_problems():
    assert validate_request(base_request()) == []


def test_minimal_request_is_valid():
    assert validate_request({"PoolName": "p"}) == []


def _arn_of_length(length):
    head = "arn:aws:lambda:us-east-1:123456789012:function:"
    return head + "f" * (length - len(head))


# (path, accepted values, rejected values): each field at its boundaries and
# just past them.
BOUNDARIES = [
    (
        "PoolName",
        ["a", "a" * 128, "My pool+=,.@-_ 1", "tab\there"],
        ["", "a" * 129, "pool/name", "pool#1", "nbsp\u00a0name", "bell\x07"],
    ),
    ("Policies.PasswordPolicy.MinimumLength", [6, 99], [5, 100, "8", 8.0, True]),
    ("Policies.PasswordPolicy.RequireUppercase", [True, False], ["true", 1, None]),
    ("Policies.PasswordPolicy.RequireLowercase", [True, False], ["yes", 0]),
    ("Policies.PasswordPolicy.RequireNumbers", [True, False], ["false"]),
    ("Policies.PasswordPolicy.RequireSymbols", [True, False], [[]]),
    *[
        (
            f"LambdaConfig.{trigger}",
            [
                "arn:aws:lambda::1:ff",  # 20 characters
                _arn_of_length(2048),
                LAMBDA_ARN + ":1",
                "arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
            ],
            [
                "arn:aws:lambda::1:f",  # 19 characters
                _arn_of_length(2049),
                "arn:aws:lambda:us-east-1:123456789012",
                LAMBDA_ARN + ":1:2",
                LAMBDA_ARN + "é",
                "not an arn at all, really",
                42,
            ],
        )
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
    ],
    (
        "AutoVerifiedAttributes",
        [[], ["email"], ["phone_number"], ["email", "phone_number"]],
        [["preferred_username"], ["username"], "email", [1]],
    ),
    (
        "AliasAttributes",
        [[], ["phone_number", "email", "preferred_username"]],
        [["username"], ["Email"], "email"],
    ),
    *[
        (
            field,
            ["{####}", "x" * 134 + "{####}", "Code: {####}. <b>ok</b>"],
            ["{###}", "x" * 135 + "{####}", "no code here", "line\n{####}", "{####}\r"],
        )
        for field in ("SmsVerificationMessage", "SmsAuthenticationMessage")
    ],
    (
        "EmailVerificationMessage",
        [
            "{####}",
            "x" * 19994 + "{####}",
            "<script>alert(1)</script> {####}",
            "Line one\nline two\t{####}",
            "Ünïcödé 你好 😀 {####}",
        ],
        [
            "{###}",
            "x" * 19995 + "{####}",
            "no code here at all",
            "bell\x07 {####}",
            "nbsp\u00a0{####}",
        ],
    ),
    *[
        (
            field,
            ["a", "s" * 140, "Votre code ✓", "  spaced subject  "],
            ["", "s" * 141, "bell\x07", "nbsp\u00a0subject"],
        )
        for field in (
            "EmailVerificationSubject",
            "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
        )
    ],
    ("MfaConfiguration", ["OFF", "ON", "OPTIONAL"], ["off", "REQUIRED", "", True]),
    ("DeviceConfiguration.ChallengeRequiredOnNewDevice", [True, False], ["True"]),
    ("DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt", [True, False], [1]),
    (
        "EmailConfiguration.SourceArn",
        [SES_ARN, "arn:aws:ses::1:abcde"],
        ["support@example.com", "arn:aws:ses::1:abcd"],
    ),
    (
        "EmailConfiguration.ReplyToEmailAddress",
        ["a@b", "jöhn+tag@exämple.com"],
        ["no-at-sign", "a b@example.com", "@", "a@"],
    ),
    (
        "SmsConfiguration.SnsCallerArn",
        [ROLE_ARN, "arn:aws:iam::1:role/r"],
        ["", "arn:aws:iam::1:r", "role/CognitoSms"],
    ),
    ("SmsConfiguration.ExternalId", ["", "x" * 131072], ["x" * 131073, 5]),
    ("AdminCreateUserConfig.AllowAdminCreateUserOnly", [True, False], ["no"]),
    ("AdminCreateUserConfig.UnusedAccountValidityDays", [0, 365], [-1, 366, "7"]),
    (
        "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
        [
            "{username} {####}",
            "{username}{####}" + "x" * 124,
            "Hi {username}\nPassword: {####}",
        ],
        ["{####}", "{username}{####}" + "x" * 125, 140],
    ),
    (
        "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
        [INVITE, "{username}{####}" + "x" * 19984, "<h1>{username}</h1> {####}"],
        ["{username}{####}" + "x" * 19985, "{username} {####}\x00", "{user}"],
    ),
    ("Schema", [[{"Name": "a", "AttributeDataType": "String"}]], [[], "email", {}]),
    (
        "Schema.1.Name",
        ["a", "x" * 20, "ünï", "plan-v2.0"],
        ["", "x" * 21, "a b", "tab\tname", None],
    ),
    ("Schema.1.AttributeDataType", ["String"], ["Integer", "string", 1]),
    (
        "Schema.2.AttributeDataType",
        ["Number", "String", "DateTime", "Boolean"],
        ["Float"],
    ),
    ("Schema.1.DeveloperOnlyAttribute", [True, False], ["false"]),
    ("Schema.1.Mutable", [True, False], ["true"]),
    ("Schema.1.Required", [False], ["false"]),
    (
        "Schema.1.StringAttributeConstraints.MaxLength",
        ["1", "2048", "0064"],
        ["2049", "0", 64, "-1", "1.5", "abc", "x" * 131073],
    ),
    (
        "Schema.1.StringAttributeConstraints.MinLength",
        ["0", "64"],
        ["65", "2049", "-5", " 1", "1e3", 1],
    ),
    (
        "Schema.2.NumberAttributeConstraints.MinValue",
        ["0", "100", "99"],
        ["101", "abc", 0, "1e5"],
    ),
    (
        "Schema.2.NumberAttributeConstraints.MaxValue",
        ["0", "100", "9" * 300],
        ["-1", "ten", 100, "1" + "0" * 400],
    ),
    (
        "UserPoolTags",
        # 49 of the user's: poolconsole adds its own tag to every create.
        [{}, {"k": ""}, {"k" * 128: "v" * 256}, {f"t{i}": "v" for i in range(49)}],
        [
            {"aws:owner": "x"},
            {"": "v"},
            {"k" * 129: "v"},
            {"k": "v" * 257},
            {"k": 1},
            {"k": "bad\x00"},
            {f"t{i}": "v" for i in range(50)},
            ["k", "v"],
        ],
    ),
]


def _cases(kind):
    index = 1 if kind == "accepted" else 2
    for row in BOUNDARIES:
        path = row[0]
        for value in row[index]:
            yield pytest.param(path, value, id=f"{path}={str(value)[:30]!r}")


@pytest.mark.parametrize(("path", "value"), list(_cases("accepted")))
def test_field_accepts_value_at_boundary(path, value):
    problems = validate_request(with_value(path, value))
    assert errors(problems) == []


@pytest.mark.parametrize(("path", "value"), list(_cases("rejected")))
def test_field_rejects_value_past_boundary(path, value):
    problems = validate_request(with_value(path, value))
    assert errors(problems), problems
    prefix = (
        path.rsplit(".", 1)[0] if path.endswith(("MinValue", "MinLength")) else path
    )
    assert all(p.path.startswith(prefix) for p in errors(problems)), problems


def test_pool_name_is_required():
    request = base_request()
    del request["PoolName"]
    assert errors(validate_request(request), "PoolName")


def test_min_length_above_max_length_is_reported_at_max():
    request = with_value("Schema.1.StringAttributeConstraints.MinLength", "65")
    problems = validate_request(request)
    assert [p.path for p in errors(problems)] == [
        "Schema.1.StringAttributeConstraints.MaxLength"
    ]


def test_min_value_above_max_value_is_reported_at_max():
    problems = validate_request(
        with_value("Schema.2.NumberAttributeConstraints.MinValue", "101")
    )
    assert [p.path for p in errors(problems)] == [
        "Schema.2.NumberAttributeConstraints.MaxValue"
    ]


def test_pattern_check_uses_full_match():
    # A prefix that matches is not enough: "{####}\n" contains a match.
    problems = validate_request(with_value("SmsVerificationMessage", "{####}\n"))
    assert errors(problems, "SmsVerificationMessage")


def test_constraints_come_from_botocore_model():
    spec = cognito_model.field_spec("EmailVerificationMessage")
    assert (spec.min, spec.max) == (6, 20000)
    assert cognito_model.request_shape() is not None


def test_java_dot_does_not_match_unicode_line_separators():
    for separator in ("\u2028", "\u2029", "\u0085", "\r"):
        problems = validate_request(
            with_value("SmsVerificationMessage", f"a{separator}{{####}}")
        )
        assert errors(problems, "SmsVerificationMessage"), separator


def test_java_backslash_s_is_ascii_only():
    problems = validate_request(with_value("PoolName", "a\u2003b"))
    assert errors(problems, "PoolName")


def test_emoji_length_counted_in_code_points_with_utf16_warning():
    value = "😀" * 128
    problems = validate_request(with_value("PoolName", "a" * 127 + "b"))
    assert problems == []
    problems = validate_request(with_value("EmailVerificationSubject", value[:140]))
    assert not errors(problems)
    assert warnings(problems, "EmailVerificationSubject")


def test_unknown_key_is_an_error_at_that_key():
    problems = validate_request(with_value("Colour", "blue"))
    assert [p.path for p in errors(problems)] == ["Colour"]
    assert "Unknown" in problems[0].message


@pytest.mark.parametrize(
    "path",
    [
        "UsernameAttributes",
        "VerificationMessageTemplate",
        "AccountRecoverySetting",
        "DeletionProtection",
        "UserPoolAddOns",
        "UsernameConfiguration",
        "UserAttributeUpdateSettings",
        "UserPoolTier",
        "Policies.PasswordPolicy.PasswordHistorySize",
        "Policies.SignInPolicy",
        "LambdaConfig.PreTokenGeneration",
        "LambdaConfig.UserMigration",
        "EmailConfiguration.EmailSendingAccount",
        "SmsConfiguration.SnsRegion",
    ],
)
def test_newer_parameter_is_reported_as_not_supported_yet(path):
    problems = validate_request(with_value(path, "x"))
    assert any(
        p.path == path and "not supported by this form yet" in p.message
        for p in errors(problems)
    ), problems


def test_unknown_key_inside_schema_entry():
    problems = validate_request(with_value("Schema.1.Colour", "x"))
    assert [p.path for p in errors(problems)] == ["Schema.1.Colour"]


def test_non_dict_request_is_one_whole_request_error():
    for value in (None, [], "PoolName", 3, 1.5, True):
        assert validate_request(value) == [
            Problem("", validate_request(value)[0].message, "error")
        ]


def test_standard_attribute_table_and_reserved_names():
    assert STANDARD_ATTRIBUTES["updated_at"] == "Number"
    assert {t for n, t in STANDARD_ATTRIBUTES.items() if n != "updated_at"} == {
        "String"
    }
    assert len(STANDARD_ATTRIBUTES) == 17
    assert {
        "sub",
        "email_verified",
        "phone_number_verified",
        "identities",
    } == RESERVED_NAMES
    assert "Schema" in SUPPORTED_KEYS and "UserPoolTags" in SUPPORTED_KEYS


# Rules S1-S26: a valid and an invalid case each.


def test_s1_mfa_on_with_sms_configuration_is_valid():
    assert not errors(validate_request(with_value("MfaConfiguration", "ON")))


@pytest.mark.parametrize("mfa", ["ON", "OPTIONAL"])
def test_s1_mfa_without_sms_configuration_is_error_at_sns_caller_arn(mfa):
    request = with_value("MfaConfiguration", mfa)
    del request["SmsConfiguration"]
    request["AutoVerifiedAttributes"] = ["email"]
    problems = validate_request(request)
    assert [p.path for p in errors(problems)] == ["SmsConfiguration.SnsCallerArn"]


def test_s1_mfa_off_without_sms_is_valid():
    request = with_value("MfaConfiguration", "OFF")
    del request["SmsConfiguration"]
    request["AutoVerifiedAttributes"] = ["email"]
    assert validate_request(request) == []


def test_s2_uncertain_mfa_without_phone_auto_verification_is_only_a_warning():
    request = with_value("AutoVerifiedAttributes", ["email"])
    problems = validate_request(request)
    assert not errors(problems)
    assert warnings(problems, "AutoVerifiedAttributes")


def test_s2_mfa_with_phone_auto_verification_has_no_warning():
    assert not warnings(validate_request(base_request()), "AutoVerifiedAttributes")


def test_s3_phone_auto_verification_without_sms_is_error_at_sns_caller_arn():
    request = with_value("MfaConfiguration", "OFF")
    del request["SmsConfiguration"]
    problems = validate_request(request)
    assert [p.path for p in errors(problems)] == ["SmsConfiguration.SnsCallerArn"]


def test_s3_sms_configuration_without_role_arn_is_error():
    problems = validate_request(with_value("SmsConfiguration", {"ExternalId": "x"}))
    assert [p.path for p in errors(problems)] == ["SmsConfiguration.SnsCallerArn"]


def test_s3_phone_auto_verification_with_sms_is_valid():
    assert not errors(validate_request(with_value("MfaConfiguration", "OFF")))


def test_s4_custom_attribute_required_is_error_at_required():
    problems = validate_request(with_value("Schema.1.Required", True))
    assert [p.path for p in errors(problems)] == ["Schema.1.Required"]


def test_s4_standard_attribute_required_is_valid():
    assert not errors(validate_request(with_value("Schema.0.Required", True)))


def _schema(count, standard=0):
    names = list(STANDARD_ATTRIBUTES)[:standard]
    entries = [{"Name": name} for name in names]
    entries += [
        {"Name": f"c{i}", "AttributeDataType": "String"}
        for i in range(count - standard)
    ]
    return entries


def test_s5_fifty_schema_entries_is_valid():
    assert not errors(validate_request(with_value("Schema", _schema(50, standard=2))))


def test_s5_49_custom_and_2_standard_is_error_at_schema():
    problems = validate_request(with_value("Schema", _schema(51, standard=2)))
    assert [p.path for p in errors(problems)] == ["Schema"]


def test_s6_name_of_20_characters_is_valid_and_21_is_error():
    assert not errors(validate_request(with_value("Schema.1.Name", "n" * 20)))
    problems = validate_request(with_value("Schema.1.Name", "n" * 21))
    assert [p.path for p in errors(problems)] == ["Schema.1.Name"]


@pytest.mark.parametrize("name", sorted(STANDARD_ATTRIBUTES))
def test_s7_standard_attribute_keeps_its_type(name):
    fixed = STANDARD_ATTRIBUTES[name]
    request = with_value("Schema", [{"Name": name, "AttributeDataType": fixed}])
    assert validate_request(request) == [] or not errors(validate_request(request))
    other = "Boolean"
    request = with_value("Schema", [{"Name": name, "AttributeDataType": other}])
    assert [p.path for p in errors(validate_request(request))] == [
        "Schema.0.AttributeDataType"
    ]


def test_s7_standard_attribute_without_type_is_valid():
    request = with_value("Schema", [{"Name": "updated_at", "Mutable": False}])
    assert not errors(validate_request(request))


def test_s8_standard_attribute_developer_only_is_error():
    problems = validate_request(with_value("Schema.0.DeveloperOnlyAttribute", True))
    assert [p.path for p in errors(problems)] == ["Schema.0.DeveloperOnlyAttribute"]


def test_s8_custom_attribute_developer_only_is_valid():
    assert not errors(
        validate_request(with_value("Schema.1.DeveloperOnlyAttribute", True))
    )


@pytest.mark.parametrize("name", sorted(RESERVED_NAMES))
def test_s9_reserved_name_is_error_at_name(name):
    request = with_value("Schema.1", {"Name": name, "AttributeDataType": "String"})
    problems = validate_request(request)
    assert "Schema.1.Name" in {p.path for p in errors(problems)}


def test_s9_ordinary_custom_name_is_valid():
    request = with_value(
        "Schema.1", {"Name": "verified", "AttributeDataType": "Boolean"}
    )
    assert not errors(validate_request(request))


def test_s10_custom_attribute_without_data_type_is_error():
    request = with_value("Schema.1", {"Name": "plan"})
    assert [p.path for p in errors(validate_request(request))] == [
        "Schema.1.AttributeDataType"
    ]


def test_s10_custom_attribute_with_data_type_is_valid():
    request = with_value("Schema.1", {"Name": "plan", "AttributeDataType": "DateTime"})
    assert not errors(validate_request(request))


@pytest.mark.parametrize("name", ["custom:plan", "dev:plan"])
def test_s11_prefix_typed_into_name_is_warning_at_name(name):
    problems = validate_request(with_value("Schema.1.Name", name))
    assert not errors(problems)
    assert warnings(problems, "Schema.1.Name")


def test_s11_name_without_prefix_has_no_warning():
    assert not warnings(validate_request(base_request()), "Schema.1.Name")


def test_s12_string_constraints_equal_are_valid():
    request = with_value(
        "Schema.1.StringAttributeConstraints",
        {"MinLength": "2048", "MaxLength": "2048"},
    )
    assert not errors(validate_request(request))


def test_s12_string_constraint_above_2048_is_error():
    request = with_value(
        "Schema.1.StringAttributeConstraints", {"MinLength": "0", "MaxLength": "4096"}
    )
    assert [p.path for p in errors(validate_request(request))] == [
        "Schema.1.StringAttributeConstraints.MaxLength"
    ]


def test_s13_number_min_above_max_is_error_and_equal_is_valid():
    path = "Schema.2.NumberAttributeConstraints"
    assert not errors(
        validate_request(with_value(path, {"MinValue": "5", "MaxValue": "5"}))
    )
    problems = validate_request(with_value(path, {"MinValue": "6", "MaxValue": "5"}))
    assert [p.path for p in errors(problems)] == [f"{path}.MaxValue"]


@pytest.mark.parametrize("value", ["-10", "1.5", "-0.5"])
def test_s13_uncertain_negative_or_decimal_number_bound_is_only_a_warning(value):
    path = "Schema.2.NumberAttributeConstraints.MinValue"
    problems = validate_request(with_value(path, value))
    assert not errors(problems)
    assert warnings(problems, path)


def test_s13_number_has_no_upper_cap_below_2_pow_1023():
    path = "Schema.2.NumberAttributeConstraints.MaxValue"
    assert not errors(validate_request(with_value(path, str(2**1023))))
    assert errors(validate_request(with_value(path, str(2**1023 + 1))), path)


def test_empty_constraint_value_is_uncertain_so_only_a_warning():
    path = "Schema.2.NumberAttributeConstraints.MinValue"
    problems = validate_request(with_value(path, ""))
    assert not errors(problems)
    assert warnings(problems, path)


@pytest.mark.parametrize(
    "path",
    [
        "Schema.1.StringAttributeConstraints.MinLength",
        "Schema.1.StringAttributeConstraints.MaxLength",
        "Schema.2.NumberAttributeConstraints.MinValue",
        "Schema.2.NumberAttributeConstraints.MaxValue",
    ],
)
def test_s14_constraint_given_as_number_is_error_and_as_string_valid(path):
    problems = validate_request(with_value(path, 64))
    assert [p.path for p in errors(problems)] == [path]
    assert '"64"' in problems[0].message
    assert not errors(validate_request(with_value(path, "64")))


def test_s15_uncertain_duplicate_name_is_error_at_later_row():
    request = with_value("Schema.2", {"Name": "plan", "AttributeDataType": "String"})
    problems = validate_request(request)
    assert [p.path for p in errors(problems)] == ["Schema.2.Name"]


def test_s15_distinct_names_are_valid():
    assert not errors(validate_request(base_request()))


@pytest.mark.parametrize(
    "field",
    ["SmsVerificationMessage", "EmailVerificationMessage", "SmsAuthenticationMessage"],
)
def test_s16_verification_message_without_code_is_error(field):
    problems = validate_request(with_value(field, "Your code is ready"))
    assert [p.path for p in errors(problems)] == [field]
    assert "{####}" in problems[0].message


@pytest.mark.parametrize("key", ["SMSMessage", "EmailMessage"])
def test_s17_invite_without_username_is_error(key):
    path = f"AdminCreateUserConfig.InviteMessageTemplate.{key}"
    problems = validate_request(with_value(path, "Your password is {####}"))
    assert [p.path for p in errors(problems)] == [path]


@pytest.mark.parametrize("key", ["SMSMessage", "EmailMessage"])
def test_s17_uncertain_invite_without_code_is_only_a_warning(key):
    path = f"AdminCreateUserConfig.InviteMessageTemplate.{key}"
    problems = validate_request(with_value(path, "Welcome {username}"))
    assert not errors(problems)
    assert warnings(problems, path)
    assert not validate_request(with_value(path, INVITE))


def test_s18_username_in_verification_email_is_warning():
    problems = validate_request(
        with_value("EmailVerificationMessage", "Hi {username}, code {####}")
    )
    assert not errors(problems)
    assert warnings(problems, "EmailVerificationMessage")


def test_s19_line_break_in_invite_sms_is_valid_but_not_in_verification_sms():
    path = "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage"
    assert not errors(validate_request(with_value(path, "Hi {username}\n{####}")))
    problems = validate_request(with_value("SmsAuthenticationMessage", "Hi\n{####}"))
    assert [p.path for p in errors(problems)] == ["SmsAuthenticationMessage"]


def test_s20_html_in_email_is_valid_control_characters_are_not():
    path = "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage"
    html = '<a href="https://x/(y)">{username}</a> <script>x()</script> {####}'
    assert validate_request(with_value(path, html)) == []
    problems = validate_request(with_value(path, "{username} {####}\x1b"))
    assert [p.path for p in errors(problems)] == [path]
    assert "U+001B" in problems[0].message


def test_s20_vertical_tab_and_form_feed_pass_email_pattern():
    assert not errors(
        validate_request(with_value("EmailVerificationMessage", "a\x0b\x0c\r\n{####}"))
    )


def test_s21_password_length_limits():
    path = "Policies.PasswordPolicy.MinimumLength"
    assert not errors(validate_request(with_value(path, 99)))
    assert errors(validate_request(with_value(path, 256)), path)


def test_s22_unused_account_days_up_to_365_is_valid():
    path = "AdminCreateUserConfig.UnusedAccountValidityDays"
    assert not errors(validate_request(with_value(path, 365)))


def test_s22_unused_account_days_with_temporary_password_days_is_error():
    request = with_value("Policies.PasswordPolicy.TemporaryPasswordValidityDays", 7)
    paths = {p.path for p in errors(validate_request(request))}
    assert "AdminCreateUserConfig.UnusedAccountValidityDays" in paths


def test_s23_preferred_username_cannot_be_verified():
    problems = validate_request(
        with_value("AutoVerifiedAttributes", ["email", "preferred_username"])
    )
    assert [p.path for p in errors(problems)] == ["AutoVerifiedAttributes.1"]
    assert not errors(
        validate_request(with_value("AliasAttributes", ["preferred_username"]))
    )


def test_s24_uncertain_required_preferred_username_alias_is_only_a_warning():
    request = with_value("Schema.0", {"Name": "preferred_username", "Required": True})
    problems = validate_request(request)
    assert not errors(problems)
    assert warnings(problems, "Schema.0.Required")
    request["AliasAttributes"] = ["email"]
    assert not warnings(validate_request(request), "Schema.0.Required")


def test_s25_arn_checked_only_against_generic_pattern():
    # Any well-formed ARN is accepted; whether the role exists is for AWS.
    path = "SmsConfiguration.SnsCallerArn"
    other = "arn:aws-us-gov:sns:us-gov-west-1:000000000000:not-a-role"
    assert not errors(validate_request(with_value(path, other)))
    assert errors(validate_request(with_value(path, "arn:aws:iam:role")), path)


@pytest.mark.parametrize(
    "path",
    [
        "PoolName",
        "EmailVerificationSubject",
        "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
    ],
)
def test_s26_uncertain_whitespace_only_value_is_only_a_warning(path):
    problems = validate_request(with_value(path, "   "))
    assert not errors(problems)
    assert warnings(problems, path)


def test_s26_uncertain_non_ascii_pool_name_is_only_a_warning():
    problems = validate_request(with_value("PoolName", "Café Zürich"))
    assert not errors(problems)
    assert warnings(problems, "PoolName")


def test_constraints_of_other_type_are_a_warning():
    request = with_value(
        "Schema.2.StringAttributeConstraints", {"MinLength": "1", "MaxLength": "2"}
    )
    problems = validate_request(request)
    assert not errors(problems)
    assert warnings(problems, "Schema.2.StringAttributeConstraints")


# AWS error paths.


@pytest.mark.parametrize(
    ("aws_path", "request_path"),
    [
        ("poolName", "PoolName"),
        ("schema.1.member.name", "Schema.0.Name"),
        (
            "schema.4.member.stringAttributeConstraints.maxLength",
            "Schema.3.StringAttributeConstraints.MaxLength",
        ),
        (
            "policies.passwordPolicy.minimumLength",
            "Policies.PasswordPolicy.MinimumLength",
        ),
        (
            "adminCreateUserConfig.inviteMessageTemplate.sMSMessage",
            "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
        ),
        (
            "adminCreateUserConfig.inviteMessageTemplate.smsMessage",
            "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
        ),
        ("lambdaConfig.preSignUp", "LambdaConfig.PreSignUp"),
        ("autoVerifiedAttributes.2.member", "AutoVerifiedAttributes.1"),
        ("smsConfiguration.snsCallerArn", "SmsConfiguration.SnsCallerArn"),
        ("", ""),
    ],
)
def test_aws_path_to_request_path(aws_path, request_path):
    assert aws_path_to_request_path(aws_path) == request_path


def test_parse_aws_validation_message_with_one_error():
    message = (
        "1 validation error detected: Value 'averyveryveryverylongname' at "
        "'schema.1.member.name' failed to satisfy constraint: Member must have "
        "length less than or equal to 20"
    )
    assert parse_aws_validation_message(message) == [
        ("Schema.0.Name", "Member must have length less than or equal to 20")
    ]


def test_parse_aws_validation_message_with_several_errors():
    message = (
        "2 validation errors detected: Value 'a; Value b' at 'poolName' failed "
        "to satisfy constraint: Member must satisfy regular expression pattern: "
        "[\\w\\s+=,.@-]+; Value '100' at 'policies.passwordPolicy.minimumLength' "
        "failed to satisfy constraint: Member must have value less than or equal "
        "to 99"
    )
    assert parse_aws_validation_message(message) == [
        ("PoolName", "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"),
        (
            "Policies.PasswordPolicy.MinimumLength",
            "Member must have value less than or equal to 99",
        ),
    ]


def test_parse_aws_message_without_path_returns_whole_request():
    assert parse_aws_validation_message(
        "Required custom attributes are not supported"
    ) == [("", "Required custom attributes are not supported")]
    assert parse_aws_validation_message(None) == [("", "None")]


# Fuzzing: nothing ever raises.

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([10**4000, -(10**4000), 2**63, -(2**63) - 1])
    | st.text()
    | st.text(alphabet=st.characters(codec=None, categories=("Cc", "Cs", "Zs", "So")))
    | st.sampled_from(
        [
            "x" * 1_000_000,
            "{####}" * 200_000,
            "{username}{####}" * 1000 + "\x07",
            "-" + "9" * 5000,
            "9" * 5000,
            "1e999999",
            "NaN",
            "\ud800",
            "String",
            "Number",
            "email",
            "phone_number",
            "ON",
        ]
    )
)
_json = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _shaped(spec):
    if isinstance(spec, dict):
        return st.fixed_dictionaries(
            {}, optional={key: _shaped(child) | _json for key, child in spec.items()}
        )
    if isinstance(spec, list):
        return st.lists(_shaped(spec[0]) | _json, max_size=55)
    return _json


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.one_of(_json, _shaped(SUPPORTED_KEYS)))
def test_validate_request_never_raises(request_data):
    before = copy.deepcopy(request_data)
    problems = validate_request(request_data)
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) for p in problems)
    assert all(p.severity in ("error", "warning") for p in problems)
    assert not any(INTERNAL in p.message for p in problems), problems
    assert request_data == before or before != before  # not mutated (NaN aside)


def test_integer_too_long_to_print_never_raises():
    # int -> str fails past 4300 digits; hypothesis cannot repr such a value.
    huge = 10**5000
    request = {
        "PoolName": huge,
        "Policies": {"PasswordPolicy": {"MinimumLength": huge}},
        "Schema": [
            {
                "Name": "n",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MinValue": huge},
            }
        ],
    }
    problems = validate_request(request)
    assert [p.path for p in errors(problems)] == [
        "PoolName",
        "Policies.PasswordPolicy.MinimumLength",
        "Schema.0.NumberAttributeConstraints.MinValue",
    ]
    assert not any(INTERNAL in p.message for p in problems)


def test_parse_aws_message_with_null_value():
    message = (
        "1 validation error detected: Value null at 'poolName' failed to "
        "satisfy constraint: Member must not be null"
    )
    assert parse_aws_validation_message(message) == [
        ("PoolName", "Member must not be null")
    ]


def test_unknown_non_ascii_key_is_shown_readably():
    problems = validate_request(with_value("Größe", 1))
    assert [p.path for p in problems] == ["Größe"]


def test_empty_sns_caller_arn_says_it_is_required():
    problems = validate_request(with_value("SmsConfiguration.SnsCallerArn", ""))
    assert [p.path for p in errors(problems)] == ["SmsConfiguration.SnsCallerArn"]
    assert "required" in problems[0].message


# Agreement with moto on the Schema rules moto enforces (S4, S7, S8, S10,
# S12, S13): a schema without errors is accepted, and one moto rejects has
# an error (or, for S13's uncertain negative/decimal bounds, a warning).

_constraint = st.sampled_from(["", "0", "1", "64", "2048", "2049", "-1", "1.5", "x"])
_schema_entry = st.fixed_dictionaries(
    {"Name": st.sampled_from(["email", "updated_at", "name", "plan", "score"])},
    optional={
        "AttributeDataType": st.sampled_from(["String", "Number", "Boolean"]),
        "DeveloperOnlyAttribute": st.booleans(),
        "Mutable": st.booleans(),
        "Required": st.booleans(),
        "StringAttributeConstraints": st.fixed_dictionaries(
            {}, optional={"MinLength": _constraint, "MaxLength": _constraint}
        ),
        "NumberAttributeConstraints": st.fixed_dictionaries(
            {}, optional={"MinValue": _constraint, "MaxValue": _constraint}
        ),
    },
)


def _moto_accepts(entry):
    """Return whether moto's Schema checks accept entry.

    Calls the attribute model CreateUserPool builds for each Schema entry
    (moto/cognitoidp/models.py, CognitoIdpUserPool.__init__): a whole pool
    per example would spend most of its time generating moto's RSA key.
    """
    from moto.cognitoidp.exceptions import InvalidParameterException
    from moto.cognitoidp.models import CognitoIdpUserPoolAttribute as Attribute

    try:
        Attribute(entry["Name"], entry["Name"] not in Attribute.STANDARD_SCHEMA, entry)
    except InvalidParameterException:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(entry=_schema_entry)
def test_schema_validation_agrees_with_moto(entry):
    problems = validate_request({"PoolName": "agree", "Schema": [entry]})
    accepted = _moto_accepts(entry)
    if not errors(problems):
        uncertain = [p for p in warnings(problems) if "uncertain" in p.message]
        assert accepted or uncertain, problems
    if not accepted:
        assert errors(problems) or warnings(problems), entry


@pytest.mark.parametrize("path", sorted(cognito_model.FALLBACK))
def test_fallback_table_matches_botocore_model(path):
    # A difference means botocore's model changed: review COGNITO_RULES.md.
    assert cognito_model.field_spec(path) == cognito_model.FALLBACK[path]


def test_validation_works_without_botocore_model(monkeypatch):
    caches = (cognito_model.field_spec, cognito_model.model_member_names)
    monkeypatch.setattr(cognito_model, "request_shape", lambda: None)
    for cached in caches:
        cached.cache_clear()
    try:
        assert validate_request(base_request()) == []
        problems = validate_request(with_value("PoolName", "a" * 129))
        assert [p.path for p in errors(problems)] == ["PoolName"]
        problems = validate_request(with_value("UsernameAttributes", ["email"]))
        assert "not supported by this form yet" in problems[0].message
    finally:
        for cached in caches:
            cached.cache_clear()


@pytest.mark.parametrize(
    "developer_only,stored",
    [(False, "custom:custom:plan"), (True, "dev:custom:custom:plan")],
)
def test_s11_warning_names_the_stored_name_of_a_developer_only_attribute(
    developer_only, stored
):
    request = with_value(
        "Schema.1",
        {
            "Name": "custom:plan",
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": developer_only,
        },
    )
    [warning] = warnings(validate_request(request), "Schema.1.Name")
    assert warning.message.endswith(f"this would be stored as {stored}.")


@pytest.mark.parametrize(
    "path",
    [
        "EmailVerificationMessage",
        "EmailVerificationSubject",
        "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
        "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
    ],
)
def test_no_break_space_where_spaces_are_allowed_is_not_called_whitespace(path):
    value = "{username}\u00a0{####}"
    [error] = errors(validate_request(with_value(path, value)), path)
    assert "U+00A0 (NO-BREAK SPACE)" in error.message
    assert "whitespace is not allowed" not in error.message
    assert "ordinary space" in error.message


def test_no_break_space_where_no_whitespace_is_allowed_says_so():
    [error] = errors(
        validate_request(with_value("Schema.1.Name", "my\u00a0plan")), "Schema.1.Name"
    )
    assert "whitespace is not allowed here" in error.message


@pytest.mark.parametrize(
    "path",
    [
        "PoolName",
        "SmsVerificationMessage",
        "EmailVerificationMessage",
        "SmsConfiguration.ExternalId",  # no pattern at all
        "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",  # (?s).*
        "Schema.1.Name",
        "Schema.1.StringAttributeConstraints.MaxLength",
    ],
)
@pytest.mark.parametrize("char", ["\ud800", "\udc00"])
def test_lone_surrogate_in_any_string_is_an_error_at_its_field(path, char):
    value = "{username} {####} " + char
    problems = validate_request(with_value(path, value))
    surrogate = [p for p in errors(problems, path) if "surrogate" in p.message]
    assert len(surrogate) == 1
    assert surrogate[0].message.startswith(f"Remove \\u{ord(char):04x}")


def test_lone_surrogate_in_a_tag_is_an_error_at_the_tag():
    request = with_value("UserPoolTags", {"team": "a\udfff"})
    [error] = errors(validate_request(request))
    assert error.path == "UserPoolTags.team"
    assert "surrogate" in error.message


def test_surrogate_pair_written_as_two_escapes_is_one_valid_character():
    request = with_value("PoolName", json_loads('"pool \\ud83d\\ude00"'))
    assert not [p for p in validate_request(request) if "surrogate" in p.message]


def json_loads(text):
    import json

    return json.loads(text)


def test_each_problem_is_reported_once_in_the_order_found():
    request = {
        "PoolName": "demo",
        "Schema": [
            {"Name": "plan", "AttributeDataType": "String"},
            {"Name": "plan", "AttributeDataType": "String"},
            {"Name": "plan", "AttributeDataType": "String"},
        ],
        "Bogus": 1,
    }
    problems = validate_request(request)
    assert len(problems) == len(set(problems))
    paths = [p.path for p in problems]
    assert paths.index("Bogus") < paths.index("Schema.1.Name")
    assert "Schema.2.Name" in paths  # same message, another row: both kept


def test_entries_past_cognitos_limit_are_counted_not_checked():
    # Thousands of forged entries cost one message, not thousands of checks.
    request = {"PoolName": "demo", "Schema": [{}] * 5000}
    problems = validate_request(request)
    assert [p.message for p in problems if p.path == "Schema"] == [
        "Cognito allows at most 50 entries here; this has 5000. Remove 4950."
    ]
    checked = {p.path.split(".")[1] for p in problems if p.path.count(".") >= 2}
    assert checked == {str(index) for index in range(50)}


def messages_at(request, path):
    return [p.message for p in validate_request(request) if p.path == path]


@pytest.mark.parametrize(
    "name,named",
    [
        ("Büro 😀", "GRINNING FACE"),
        ("Büro!", "EXCLAMATION MARK"),
        ("Büro\u00a0Köln", "NO-BREAK SPACE"),
    ],
)
def test_a_bad_pool_name_names_the_character_to_remove_not_a_letter(name, named):
    [message] = messages_at({"PoolName": name}, "PoolName")
    assert named in message
    assert "LATIN SMALL LETTER" not in message


@pytest.mark.parametrize("address", ["support@", "@example.com", "support"])
def test_a_reply_to_address_without_both_halves_gets_words_not_a_regex(address):
    request = {"PoolName": "x", "EmailConfiguration": {"ReplyToEmailAddress": address}}
    [message] = messages_at(request, "EmailConfiguration.ReplyToEmailAddress")
    assert "support@example.com" in message
    assert "\\p{" not in message


@pytest.mark.parametrize(
    "parent,key,value",
    [
        ("LambdaConfig", "PreSignUp", f" {LAMBDA_ARN} "),
        ("SmsConfiguration", "SnsCallerArn", f"{ROLE_ARN}\t"),
        ("EmailConfiguration", "ReplyToEmailAddress", " support@example.com"),
    ],
)
def test_spaces_around_an_arn_or_address_are_named(parent, key, value):
    request = {"PoolName": "x", parent: {key: value}}
    assert messages_at(request, f"{parent}.{key}") == [
        "Remove the spaces at the start or the end; Cognito rejects them."
    ]


@pytest.mark.parametrize(
    "path,value,words",
    [
        ("LambdaConfig.PreSignUp", "arn:aws:sns:us-east-1:123456789012:t", "of sns"),
        (
            "LambdaConfig.CustomMessage",
            LAMBDA_ARN.replace("123456789012", "123"),
            "12 digits",
        ),
        ("SmsConfiguration.SnsCallerArn", LAMBDA_ARN, "an IAM role"),
        ("EmailConfiguration.SourceArn", ROLE_ARN, "an SES verified identity"),
    ],
)
def test_an_arn_of_the_wrong_resource_is_a_warning(path, value, words):
    parent, key = path.split(".")
    problems = [
        p
        for p in validate_request({"PoolName": "x", parent: {key: value}})
        if p.path == path
    ]
    assert [p.severity for p in problems] == ["warning"]
    assert words in problems[0].message


def test_arns_of_the_right_resources_get_no_warning():
    request = {
        "PoolName": "x",
        "LambdaConfig": {"PreSignUp": LAMBDA_ARN},
        "SmsConfiguration": {"SnsCallerArn": ROLE_ARN},
        "EmailConfiguration": {"SourceArn": SES_ARN},
    }
    assert validate_request(request) == []


@pytest.mark.parametrize(
    "key,value",
    [
        ("StringAttributeConstraints", {"MinLength": " 7 "}),
        ("NumberAttributeConstraints", {"MaxValue": "100 "}),
    ],
)
def test_a_constraint_with_spaces_around_its_number_says_so(key, value):
    entry = {"Name": "plan", "AttributeDataType": key[:6], key: value}
    [problem] = validate_request({"PoolName": "x", "Schema": [entry]})
    assert problem.message.startswith("Remove the spaces around ")
