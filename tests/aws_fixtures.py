"""AWS fixtures shared by the credentials and integrations tests."""

import pytest

from tests.integrations.fakes import Hooks


@pytest.fixture(autouse=True)
def aws_env(monkeypatch, tmp_path):
    """Give boto3 dummy base credentials and no user configuration."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-creds"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)


@pytest.fixture
def hooks(monkeypatch):
    """Answer the AWS requests of poolconsole's clients from the test."""
    return Hooks(monkeypatch)
