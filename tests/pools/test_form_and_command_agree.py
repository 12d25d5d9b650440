"""The design form and check_pool_request judge a request alike.

Both must run the same validation: for every boundary case of
test_validation.BOUNDARIES (each field at its limits and just past them),
the form is valid exactly when the command exits 0, and every error the
command prints is shown by the form.
"""

import io
import json

import pytest
from django.core.management import call_command

from poolconsole.pools.forms import bind_design, design_is_valid
from poolconsole.pools.requests import form_data_from_request, tag_fits_a_line

from .test_validation import BOUNDARIES, with_value


def _base_value(path):
    node = with_value("PoolName", "demo")
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return node


def _expressible(path, value) -> bool:
    """Return whether a browser can post value: the form's inputs are typed.

    A JSON number where text belongs, or a boolean where a number belongs,
    can only come from a file; and a blank input means "leave it out", so an
    empty string is the command's alone (except the required PoolName).
    """
    base = _base_value(path)
    if type(value) is not type(base):
        return False
    if path == "UserPoolTags":
        # The tags field holds each tag as a key=value line.
        return all(tag_fits_a_line(k, v) for k, v in value.items())
    if isinstance(value, list):
        # No rows means "leave Schema out"; an empty list is the file's alone.
        return bool(value) and all(isinstance(item, (str, dict)) for item in value)
    return value != "" or path == "PoolName"


def _cases():
    for path, accepted, rejected in BOUNDARIES:
        for value in [*accepted, *rejected]:
            if _expressible(path, value):
                yield pytest.param(path, value, id=f"{path}={str(value)[:30]!r}")


# Django's own field checks come first for these; both still reject.
DJANGO_FIRST = (
    "This field is required.",
    "Select a valid choice.",
    "Null characters are not allowed.",
)


def _command(request, tmp_path) -> tuple[int, list[str]]:
    file = tmp_path / "pool.json"
    file.write_text(json.dumps(request), encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("check_pool_request", str(file), stdout=out, stderr=io.StringIO())
        status = 0
    except SystemExit as exc:
        status = exc.code
    errors = [
        line.split(": ", 1)[1]
        for line in out.getvalue().splitlines()
        if ": " in line and not line.split(": ", 1)[1].startswith("warning:")
    ]
    return status, errors


def _form_errors(form, formset) -> str:
    texts = [str(e) for errors in form.errors.values() for e in errors]
    for row in formset.forms:
        texts += [str(e) for errors in row.errors.values() for e in errors]
    texts += [str(e) for e in formset.non_form_errors()]
    return "\n".join(texts)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "value"), list(_cases()))
def test_form_and_command_agree(tenant, tmp_path, path, value):
    request = with_value(path, value)
    status, command_errors = _command(request, tmp_path)

    form, formset = bind_design(tenant=tenant, data=form_data_from_request(request))
    valid = design_is_valid(form, formset)

    assert valid == (status == 0), (command_errors, _form_errors(form, formset))
    shown = _form_errors(form, formset)
    if any(text in shown for text in DJANGO_FIRST):
        return
    for message in command_errors:
        assert message in shown, (message, shown)


def _without(request, *keys):
    for key in keys:
        request.pop(key, None)
    return request


def _schema(*entries):
    request = with_value("PoolName", "rules")
    request["Schema"] = list(entries)
    return request


RULE_CASES = {
    "S1 MFA on without SMS": _without(
        with_value("MfaConfiguration", "ON"), "SmsConfiguration"
    ),
    "S3 phone auto-verify without SMS": _without(
        with_value("MfaConfiguration", "OFF"), "SmsConfiguration"
    ),
    "S4 custom required": _schema(
        {"Name": "plan", "AttributeDataType": "String", "Required": True}
    ),
    "S7 standard wrong type": _schema({"Name": "email", "AttributeDataType": "Number"}),
    "S8 standard developer-only": _schema(
        {"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}
    ),
    "S9 reserved name": _schema({"Name": "sub", "AttributeDataType": "String"}),
    "S12 min above max": _schema(
        {
            "Name": "plan",
            "AttributeDataType": "String",
            "StringAttributeConstraints": {"MinLength": "10", "MaxLength": "5"},
        }
    ),
    "S15 duplicate names": _schema(
        {"Name": "plan", "AttributeDataType": "String"},
        {"Name": "plan", "AttributeDataType": "Number"},
    ),
    "S16 SMS without code": with_value("SmsVerificationMessage", "Your code is here"),
    "S17 invite without username": with_value(
        "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage", "Code {####}"
    ),
    "S5 fifty-one entries": _schema(
        *({"Name": f"attr{i}", "AttributeDataType": "String"} for i in range(51))
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("request_", list(RULE_CASES.values()), ids=list(RULE_CASES))
def test_form_and_command_agree_on_cognito_rules(tenant, tmp_path, request_):
    status, command_errors = _command(request_, tmp_path)
    assert status == 1 and command_errors
    form, formset = bind_design(tenant=tenant, data=form_data_from_request(request_))
    assert not design_is_valid(form, formset)
    shown = _form_errors(form, formset)
    for message in command_errors:
        assert message in shown, (message, shown)
