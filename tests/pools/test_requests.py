"""The request builder and its inverse round-trip."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poolconsole.pools.forms import (
    PoolDesignForm,
    SchemaAttributeFormSet,
    bind_design,
)
from poolconsole.pools.requests import (
    BOOLEAN_DEFAULTS,
    BOOLEAN_FIELDS,
    DESIGN_FIELDS,
    FIELD_PATHS,
    ROW_BOOLEAN_DEFAULTS,
    ROW_BOOLEAN_FIELDS,
    ROW_FIELDS,
    ROW_PATHS,
    form_data_from_request,
    is_design_key,
)
from poolconsole.pools.validation import STANDARD_ATTRIBUTES

# Text a browser can post: no NUL (Django rejects it), no lone surrogate, and
# no line break in a one-line input (a browser drops them; the form data
# holds them as spaces). A textarea posts every line break as CR LF, kept as
# LF, so message bodies have no CR.
text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r\n"),
    min_size=1,
    max_size=30,
)
message = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"),
    min_size=1,
    max_size=30,
)
maybe = st.none() | text
maybe_message = st.none() | message
digits = st.integers(min_value=-(10**12), max_value=10**12)


def _drop_none(value):
    if isinstance(value, dict):
        cleaned = {k: _drop_none(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in cleaned.items() if v != {}}
    return value


@st.composite
def schema_entries(draw):
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(STANDARD_ATTRIBUTES)))
    else:
        name = draw(text.filter(lambda n: n not in STANDARD_ATTRIBUTES))
    return _drop_none(
        {
            "Name": name,
            "AttributeDataType": draw(
                st.none() | st.sampled_from(["String", "Number", "DateTime", "Boolean"])
            ),
            "DeveloperOnlyAttribute": draw(st.booleans()),
            "Mutable": draw(st.booleans()),
            "Required": draw(st.booleans()),
            "NumberAttributeConstraints": {
                "MinValue": draw(maybe),
                "MaxValue": draw(maybe),
            },
            "StringAttributeConstraints": {
                "MinLength": draw(maybe),
                "MaxLength": draw(maybe),
            },
        }
    )


def unique_subset(options):
    return st.lists(st.sampled_from(options), unique=True).map(lambda v: v or None)


@st.composite
def requests(draw):
    """Draw a request in the shape the builder produces."""
    device = draw(st.booleans())
    request = {
        "PoolName": draw(text),
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": draw(st.none() | digits),
                "RequireUppercase": draw(st.booleans()),
                "RequireLowercase": draw(st.booleans()),
                "RequireNumbers": draw(st.booleans()),
                "RequireSymbols": draw(st.booleans()),
            }
        },
        "LambdaConfig": {
            key: draw(maybe)
            for key in (
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
        "AutoVerifiedAttributes": draw(unique_subset(["email", "phone_number"])),
        "AliasAttributes": draw(
            unique_subset(["phone_number", "email", "preferred_username"])
        ),
        "SmsVerificationMessage": draw(maybe_message),
        "EmailVerificationMessage": draw(maybe_message),
        "EmailVerificationSubject": draw(maybe),
        "SmsAuthenticationMessage": draw(maybe_message),
        "MfaConfiguration": draw(st.sampled_from(["OFF", "ON", "OPTIONAL"])),
        "DeviceConfiguration": {
            "ChallengeRequiredOnNewDevice": draw(st.booleans()),
            "DeviceOnlyRememberedOnUserPrompt": draw(st.booleans()),
        }
        if device
        else None,
        "EmailConfiguration": {
            "SourceArn": draw(maybe),
            "ReplyToEmailAddress": draw(maybe),
        },
        "SmsConfiguration": {"SnsCallerArn": draw(maybe), "ExternalId": draw(maybe)},
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": draw(st.booleans()),
            "UnusedAccountValidityDays": draw(st.none() | digits),
            "InviteMessageTemplate": {
                "SMSMessage": draw(maybe_message),
                "EmailMessage": draw(maybe_message),
                "EmailSubject": draw(maybe),
            },
        },
        "Schema": draw(st.lists(schema_entries(), max_size=4)) or None,
    }
    return _drop_none(request)


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(request=requests())
def test_request_round_trips_through_the_form(tenant, request):
    form, formset = bind_design(tenant=tenant, data=form_data_from_request(request))
    form.is_valid()
    formset.is_valid()
    # formset.request is request_from_forms before validation problems are
    # attached (an error removes its field from cleaned_data, as in Django).
    assert formset.request == request
    form_data = form_data_from_request(formset.request)
    assert form_data.lists() and dict(form_data.lists()) == dict(
        form_data_from_request(request).lists()
    )


@pytest.mark.django_db
def test_form_data_of_a_request_with_wrong_types_is_text(tenant):
    data = form_data_from_request(
        {
            "PoolName": 5,
            "Schema": [
                "nonsense",
                {"Name": "plan", "Mutable": "yes", "AttributeDataType": 3},
            ],
            "AliasAttributes": "email",
            "Policies": {"PasswordPolicy": {"MinimumLength": "abc"}},
        }
    )
    assert data["pool_name"] == "5"
    assert data.getlist("alias_attributes") == ["email"]
    assert data["password_minimum_length"] == "abc"
    assert data["schema-TOTAL_FORMS"] == "2"
    assert data["schema-1-name"] == "plan"
    assert data["schema-1-attribute_data_type"] == "3"
    form, formset = bind_design(tenant=tenant, data=data)
    form.is_valid()
    formset.is_valid()  # must not raise


def _drop_booleans(draw, request):
    """Return request without some of its booleans, and what the form sends.

    The form sends every boolean: those left out as Cognito's default.
    """
    request = copy.deepcopy(request)
    password = request["Policies"]["PasswordPolicy"]
    if "MinimumLength" not in password and draw(st.booleans()):
        del request["Policies"]  # no Policies at all
    expected = copy.deepcopy(request)
    for field, path in FIELD_PATHS.items():
        if field not in BOOLEAN_FIELDS:
            continue
        *parents, last = path.split(".")
        if parents[0] == "DeviceConfiguration" and "DeviceConfiguration" not in request:
            continue
        node, full = request, expected
        for key in parents:
            node = node.get(key, {})
            full = full.setdefault(key, {})
        if last not in node or draw(st.booleans()):
            node.pop(last, None)
            full[last] = BOOLEAN_DEFAULTS[field]
    schema = zip(request.get("Schema", []), expected.get("Schema", []), strict=True)
    for entry, full in schema:
        for field in ROW_BOOLEAN_FIELDS:
            key = ROW_PATHS[field]
            if draw(st.booleans()):
                del entry[key]
                full[key] = ROW_BOOLEAN_DEFAULTS[field]
    return request, expected


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_booleans_left_out_of_a_request_read_as_cognitos_defaults(tenant, data):
    request, expected = _drop_booleans(data.draw, data.draw(requests()))
    form, formset = bind_design(tenant=tenant, data=form_data_from_request(request))
    form.is_valid()
    formset.is_valid()
    assert formset.request == expected


def test_message_bodies_and_only_they_are_textareas():
    from django import forms

    from poolconsole.pools.forms import PoolDesignForm, SchemaAttributeForm
    from poolconsole.pools.requests import MULTILINE_FIELDS

    textareas = {
        name
        for name, field in PoolDesignForm.base_fields.items()
        if isinstance(field.widget, forms.Textarea)
    }
    assert textareas == MULTILINE_FIELDS
    assert not any(
        isinstance(field.widget, forms.Textarea)
        for field in SchemaAttributeForm.base_fields.values()
    )


@pytest.mark.django_db
def test_line_breaks_of_one_line_fields_become_spaces_in_the_form_data(tenant):
    request = {
        "PoolName": "Line\nbreak\r\npool\r",
        "EmailVerificationSubject": "Your\ncode",
        "SmsConfiguration": {"SnsCallerArn": "arn:x", "ExternalId": "a\nb"},
        "AdminCreateUserConfig": {
            "InviteMessageTemplate": {
                "SMSMessage": "Hi {username}\nYour password: {####}",
                "EmailSubject": "Wel\ncome",
            }
        },
        "Schema": [
            {
                "Name": "pl\nan",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MaxLength": "6\n4"},
            }
        ],
    }
    data = form_data_from_request(request)
    assert data["pool_name"] == "Line break pool "
    assert data["email_verification_subject"] == "Your code"
    assert data["sms_external_id"] == "a b"
    assert data["invite_email_subject"] == "Wel come"
    assert data["invite_sms_message"] == "Hi {username}\nYour password: {####}"
    assert data["schema-0-name"] == "pl an"
    assert data["schema-0-max_length"] == "6 4"


@pytest.mark.django_db
def test_message_line_breaks_a_browser_posts_as_crlf_are_sent_as_lf(tenant):
    data = form_data_from_request({"PoolName": "p"})
    data["invite_sms_message"] = "Hi {username}\r\nYour password:\r{####}"
    data["email_verification_message"] = "Code\r\n\r\n{####}"
    form, formset = bind_design(tenant=tenant, data=data)
    form.is_valid()
    formset.is_valid()
    invite = formset.request["AdminCreateUserConfig"]["InviteMessageTemplate"]
    assert invite["SMSMessage"] == "Hi {username}\nYour password:\n{####}"
    assert formset.request["EmailVerificationMessage"] == "Code\n\n{####}"


def test_drafts_keep_every_field_of_the_design_form():
    # draft_payload keeps only these names: a new form field must join them.
    assert set(PoolDesignForm.base_fields) == DESIGN_FIELDS
    formset = SchemaAttributeFormSet(
        data={"schema-TOTAL_FORMS": "1", "schema-INITIAL_FORMS": "0"}
    )
    assert {name.removeprefix("schema-0-") for name in formset.forms[0].fields} | {
        "DELETE"
    } == ROW_FIELDS
    assert all(
        is_design_key(f"schema-{field}") for field in formset.management_form.fields
    )
    assert is_design_key("schema-59-name")
    assert not is_design_key("schema-60-name")
    assert not is_design_key("schema-1-nope")
    assert not is_design_key("csrfmiddlewaretoken")
