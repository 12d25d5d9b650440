"""Form data of pool designs, shared by the design tests."""

from poolconsole.pools.requests import SCHEMA_PREFIX

SNS_ROLE = "arn:aws:iam::123456789012:role/cognito-sms"
SES_IDENTITY = "arn:aws:ses:eu-west-1:123456789012:identity/example.com"


def lambda_arn(name: str) -> str:
    return f"arn:aws:lambda:eu-west-1:123456789012:function:{name}"


def management(total: int) -> dict:
    return {
        f"{SCHEMA_PREFIX}-TOTAL_FORMS": str(total),
        f"{SCHEMA_PREFIX}-INITIAL_FORMS": "0",
        f"{SCHEMA_PREFIX}-MIN_NUM_FORMS": "0",
        f"{SCHEMA_PREFIX}-MAX_NUM_FORMS": "1000",
    }


def row(index: int, **fields) -> dict:
    defaults = {"kind": "custom", "mutable": "on"}
    defaults.update(fields)
    return {
        f"{SCHEMA_PREFIX}-{index}-{key}": value
        for key, value in defaults.items()
        if value is not None
    }


def minimal_design(**overrides) -> dict:
    """Return the data of a small valid design (the form's defaults)."""
    data = {
        "pool_name": "Customers",
        "password_minimum_length": "8",
        "password_require_uppercase": "on",
        "password_require_lowercase": "on",
        "password_require_numbers": "on",
        "password_require_symbols": "on",
        "mfa_configuration": "OFF",
        "unused_account_validity_days": "7",
        **management(0),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def full_design() -> dict:
    """Return the data of a valid design that sets every parameter."""
    data = {
        "pool_name": "Customers EU",
        "alias_attributes": ["email", "preferred_username"],
        "auto_verified_attributes": ["email", "phone_number"],
        "password_minimum_length": "12",
        "password_require_uppercase": "on",
        "password_require_numbers": "on",
        "mfa_configuration": "OPTIONAL",
        "device_tracking": "on",
        "device_challenge_required_on_new_device": "on",
        "sms_verification_message": "Your code is {####}",
        "email_verification_message": "Your verification code is {####}.",
        "email_verification_subject": "Verify your email",
        "sms_authentication_message": "Sign-in code: {####}",
        "email_source_arn": SES_IDENTITY,
        "email_reply_to_address": "support@example.com",
        "sms_sns_caller_arn": SNS_ROLE,
        "sms_external_id": "poolconsole-123",
        "allow_admin_create_user_only": "on",
        "unused_account_validity_days": "30",
        "invite_sms_message": "Hi {username}, your password is {####}",
        "invite_email_message": "<p>Hello {username}</p><p>Password: {####}</p>",
        "invite_email_subject": "Welcome",
        "lambda_pre_sign_up": lambda_arn("pre-sign-up"),
        "lambda_custom_message": lambda_arn("custom-message"),
        "lambda_post_confirmation": lambda_arn("post-confirmation"),
        "lambda_pre_authentication": lambda_arn("pre-auth"),
        "lambda_post_authentication": lambda_arn("post-auth"),
        "lambda_define_auth_challenge": lambda_arn("define"),
        "lambda_create_auth_challenge": lambda_arn("create"),
        "lambda_verify_auth_challenge_response": lambda_arn("verify"),
        "user_pool_tags": "team=identity\ncost:centre=42",
        **management(4),
        **row(0, kind="standard", standard_name="email", required="on"),
        **row(
            1,
            name="plan",
            attribute_data_type="String",
            min_length="1",
            max_length="64",
        ),
        **row(
            2,
            name="seats",
            attribute_data_type="Number",
            mutable=None,
            min_value="1",
            max_value="500",
        ),
        **row(3, name="internal_id", attribute_data_type="String", developer_only="on"),
    }
    return data


FULL_REQUEST = {
    "PoolName": "Customers EU",
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": 12,
            "RequireUppercase": True,
            "RequireLowercase": False,
            "RequireNumbers": True,
            "RequireSymbols": False,
        }
    },
    "LambdaConfig": {
        "PreSignUp": lambda_arn("pre-sign-up"),
        "CustomMessage": lambda_arn("custom-message"),
        "PostConfirmation": lambda_arn("post-confirmation"),
        "PreAuthentication": lambda_arn("pre-auth"),
        "PostAuthentication": lambda_arn("post-auth"),
        "DefineAuthChallenge": lambda_arn("define"),
        "CreateAuthChallenge": lambda_arn("create"),
        "VerifyAuthChallengeResponse": lambda_arn("verify"),
    },
    "AutoVerifiedAttributes": ["email", "phone_number"],
    "AliasAttributes": ["email", "preferred_username"],
    "SmsVerificationMessage": "Your code is {####}",
    "EmailVerificationMessage": "Your verification code is {####}.",
    "EmailVerificationSubject": "Verify your email",
    "SmsAuthenticationMessage": "Sign-in code: {####}",
    "MfaConfiguration": "OPTIONAL",
    "DeviceConfiguration": {
        "ChallengeRequiredOnNewDevice": True,
        "DeviceOnlyRememberedOnUserPrompt": False,
    },
    "EmailConfiguration": {
        "SourceArn": SES_IDENTITY,
        "ReplyToEmailAddress": "support@example.com",
    },
    "SmsConfiguration": {"SnsCallerArn": SNS_ROLE, "ExternalId": "poolconsole-123"},
    "AdminCreateUserConfig": {
        "AllowAdminCreateUserOnly": True,
        "UnusedAccountValidityDays": 30,
        "InviteMessageTemplate": {
            "SMSMessage": "Hi {username}, your password is {####}",
            "EmailMessage": "<p>Hello {username}</p><p>Password: {####}</p>",
            "EmailSubject": "Welcome",
        },
    },
    "Schema": [
        {
            "Name": "email",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": True,
        },
        {
            "Name": "plan",
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
            "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"},
        },
        {
            "Name": "seats",
            "AttributeDataType": "Number",
            "DeveloperOnlyAttribute": False,
            "Mutable": False,
            "Required": False,
            "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "500"},
        },
        {
            "Name": "internal_id",
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": True,
            "Mutable": True,
            "Required": False,
        },
    ],
    "UserPoolTags": {"team": "identity", "cost:centre": "42"},
}
