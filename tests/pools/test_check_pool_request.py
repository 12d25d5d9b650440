"""Tests of the check_pool_request management command."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .test_validation import base_request

ROOT = Path(__file__).resolve().parents[2]


def run(path):
    """Return (exit status, stdout) of the command run in-process."""
    out = StringIO()
    try:
        call_command("check_pool_request", str(path), stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def write(tmp_path, data, name="request.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_valid_request_exits_0_with_no_output(tmp_path):
    assert run(write(tmp_path, base_request())) == (0, "")


def test_warnings_only_exit_0_and_are_prefixed(tmp_path):
    request = base_request()
    request["Schema"][1]["Name"] = "custom:plan"
    status, output = run(write(tmp_path, request))
    assert status == 0
    assert output.splitlines() == [
        "Schema.1.Name: warning: Enter the name without custom:; Cognito adds the "
        "prefix itself, so this would be stored as custom:custom:plan."
    ]


def test_invalid_request_exits_1_with_one_line_per_problem(tmp_path):
    request = base_request()
    request["PoolName"] = ""
    request["Schema"][1]["Required"] = True
    request["Schema"].append({"Name": "plan", "AttributeDataType": "String"})
    status, output = run(write(tmp_path, request))
    assert status == 1
    lines = output.splitlines()
    assert lines == [
        "PoolName: This field cannot be empty.",
        "Schema.1.Required: Custom attributes cannot be required; Cognito rejects "
        "them. Make it optional.",
        "Schema.3.Name: Attribute plan is already defined in row 2; use each name "
        "once.",
    ]


@pytest.mark.parametrize(
    "content", ["not json", "[1, 2]", '"PoolName"', "", "\xff\xfe", "[" * 100000]
)
def test_unreadable_json_exits_2(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content.encode("latin-1"))
    status, message = run(path)
    assert status == 2
    assert "bad.json" in message


def test_missing_file_exits_2(tmp_path):
    status, message = run(tmp_path / "absent.json")
    assert status == 2
    assert "Cannot read" in message


def test_directory_exits_2(tmp_path):
    assert run(tmp_path)[0] == 2


def test_lone_surrogate_key_is_printed_not_crashing(tmp_path):
    path = write(tmp_path, '{"PoolName": "p", "\\ud800": 1}')
    status, output = run(path)
    assert status == 1
    assert output.startswith("\\ud800: Unknown parameter")


@pytest.mark.parametrize(
    ("data", "status"),
    [(base_request(), 0), ({"PoolName": "p", "MfaConfiguration": "ON"}, 1), ("{", 2)],
)
def test_real_process_exit_status(tmp_path, data, status):
    path = write(tmp_path, data)
    result = subprocess.run(
        [sys.executable, "manage.py", "check_pool_request", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    if status == 1:
        assert result.stdout.startswith("SmsConfiguration.SnsCallerArn: MFA ON")


@pytest.mark.parametrize(
    "text,path",
    [
        ('{"PoolName": "p \\ud800"}', "PoolName"),
        ('{"PoolName": "p", "SmsVerificationMessage": "{####} \\udc00"}', None),
        (
            '{"PoolName": "p", "SmsConfiguration": {"SnsCallerArn": '
            '"arn:aws:iam::123456789012:role/x", "ExternalId": "\\udc00"}}',
            "SmsConfiguration.ExternalId",
        ),
    ],
)
def test_lone_surrogate_value_is_an_error_at_its_path(tmp_path, text, path):
    status, output = run(write(tmp_path, text))
    assert status == 1
    path = path or "SmsVerificationMessage"
    assert f"{path}: Remove \\u" in output
