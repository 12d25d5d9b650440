"""Services of AWS connections: encryption, blank-keeps, audit, tests, archive."""

import pytest
from cryptography.fernet import Fernet
from django.db import transaction
from moto import mock_aws

from poolconsole.audit.models import AuditEvent, Outcome
from poolconsole.core.exceptions import ApplicationError
from poolconsole.credentials import crypto, services
from poolconsole.credentials.crypto import EncryptionKeyError
from poolconsole.credentials.models import AuthMode, AwsConnection
from tests.credentials.factories import (
    AssumeRoleConnectionFactory,
    AwsConnectionFactory,
)
from tests.integrations.fakes import FakeEndpoint, sts_error

pytestmark = pytest.mark.django_db

SECRET = "svc-canary-secret-0123456789"
TOKEN = "svc-canary-token-0123456789"
AKID = "AKIASVCCANARY000WXYZ"


def _create(tenant, user, **overrides):
    kwargs = {
        "tenant": tenant,
        "actor": user,
        "name": "Production",
        "region": "eu-west-1",
        "auth_mode": AuthMode.ACCESS_KEYS,
        "access_key_id": AKID,
        "secret_access_key": SECRET,
        "session_token": TOKEN,
    } | overrides
    return services.connection_create(**kwargs)


def _audit_text(tenant) -> str:
    return repr(list(AuditEvent.objects.filter(tenant=tenant).values_list()))


def test_connection_create_encrypts_secrets_and_audits_without_them(tenant, user):
    connection = _create(tenant, user)
    row = AwsConnection.objects.filter(pk=connection.pk).values().get()
    assert SECRET not in repr(row) and TOKEN not in repr(row) and AKID not in repr(row)
    assert row["access_key_id_last4"] == "WXYZ"
    assert crypto.decrypt(row["secret_access_key_encrypted"]) == SECRET
    event = AuditEvent.objects.get(tenant=tenant, action="connection.created")
    assert event.data["name"] == "Production"
    assert event.actor == user
    for value in (SECRET, TOKEN, AKID):
        assert value not in _audit_text(tenant)


def test_connection_create_assume_role_stores_no_secret(tenant, user):
    connection = _create(
        tenant,
        user,
        auth_mode=AuthMode.ASSUME_ROLE,
        role_arn="arn:aws:iam::123456789012:role/pc",
    )
    assert connection.secret_access_key_encrypted == ""
    assert connection.external_id.startswith("poolconsole-")
    assert services.connection_credentials(connection=connection) == {}


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"region": "xx-nowhere-1"}, "region"),
        ({"secret_access_key": ""}, "secret_access_key"),
        ({"auth_mode": AuthMode.ASSUME_ROLE, "role_arn": "nope"}, "role_arn"),
        ({"endpoint_url": "ftp://example.com"}, "endpoint_url"),
    ],
)
def test_connection_create_rejects_invalid_input(tenant, user, overrides, field):
    with pytest.raises(ApplicationError) as info:
        _create(tenant, user, **overrides)
    assert info.value.field == field
    assert not AwsConnection.objects.exists()


def test_connection_create_rejects_duplicate_names(tenant, user, other_tenant):
    _create(tenant, user)
    with pytest.raises(ApplicationError) as info:
        _create(tenant, user)
    assert info.value.field == "name"
    _create(other_tenant, user)  # names are unique per tenant only


def test_connection_update_blank_secrets_keep_the_current_ones(tenant, user):
    connection = _create(tenant, user)
    services.connection_update(
        connection=connection,
        actor=user,
        name="Renamed",
        region="eu-west-1",
        auth_mode=AuthMode.ACCESS_KEYS,
    )
    connection.refresh_from_db()
    assert connection.name == "Renamed"
    credentials = services.connection_credentials(connection=connection)
    assert credentials == {
        "aws_access_key_id": AKID,
        "aws_secret_access_key": SECRET,
        "aws_session_token": TOKEN,
    }
    event = AuditEvent.objects.get(tenant=tenant, action="connection.updated")
    assert event.data["changed"] == ["name"]


def test_connection_update_new_key_replaces_pair_and_token(tenant, user):
    connection = _create(tenant, user)
    services.connection_update(
        connection=connection,
        actor=user,
        name="Production",
        region="eu-west-1",
        auth_mode=AuthMode.ACCESS_KEYS,
        access_key_id="AKIANEWKEY000000NEW1",
        secret_access_key="new-secret",
    )
    connection.refresh_from_db()
    credentials = services.connection_credentials(connection=connection)
    assert credentials["aws_secret_access_key"] == "new-secret"
    assert credentials["aws_session_token"] is None
    assert connection.access_key_id_last4 == "NEW1"
    event = AuditEvent.objects.get(tenant=tenant, action="connection.updated")
    assert event.data["changed"] == [
        "access_key_id",
        "access_key_id_last4",
        "secret_access_key",
        "session_token",
    ]
    assert "new-secret" not in _audit_text(tenant)


def test_connection_update_new_key_id_needs_its_secret(tenant, user):
    connection = _create(tenant, user)
    with pytest.raises(ApplicationError) as info:
        services.connection_update(
            connection=connection,
            actor=user,
            name="Production",
            region="eu-west-1",
            auth_mode=AuthMode.ACCESS_KEYS,
            access_key_id="AKIANEWKEY000000NEW1",
        )
    assert info.value.field == "secret_access_key"


def test_connection_update_to_assume_role_drops_the_keys(tenant, user):
    connection = _create(tenant, user)
    services.connection_update(
        connection=connection,
        actor=user,
        name="Production",
        region="eu-west-1",
        auth_mode=AuthMode.ASSUME_ROLE,
        role_arn="arn:aws:iam::123456789012:role/pc",
    )
    connection.refresh_from_db()
    assert not connection.has_access_keys
    assert connection.session_token_encrypted == ""


def test_connection_archive_and_delete_keep_the_row(tenant, user):
    connection = _create(tenant, user)
    assert services.connection_in_use(connection=connection) is False
    services.connection_delete(connection=connection, actor=user)
    connection.refresh_from_db()
    assert connection.is_archived
    assert AuditEvent.objects.filter(action="connection.archived").count() == 1
    with pytest.raises(ApplicationError):
        services.connection_update(
            connection=connection,
            actor=user,
            name="x",
            region="eu-west-1",
            auth_mode=AuthMode.ACCESS_KEYS,
        )


@mock_aws
def test_connection_test_success_records_account_and_arn(tenant, user):
    connection = AwsConnectionFactory(tenant=tenant)
    result = services.connection_test(connection=connection, actor=user)
    assert result.ok and result.account == "123456789012"
    connection.refresh_from_db()
    assert connection.last_test_ok is True
    assert "123456789012" in connection.last_test_message
    event = AuditEvent.objects.get(action="connection.tested")
    assert event.outcome == Outcome.SUCCESS
    assert event.data["account"] == "123456789012"


def test_connection_test_failure_is_recorded(tenant, user, hooks):
    hooks.respond = sts_error("InvalidClientTokenId", status=403)
    connection = AwsConnectionFactory(tenant=tenant, secret_access_key=SECRET)
    result = services.connection_test(connection=connection, actor=user)
    assert not result.ok
    assert result.kind == "invalid_credentials"
    connection.refresh_from_db()
    assert connection.last_test_ok is False
    event = AuditEvent.objects.get(action="connection.tested")
    assert event.outcome == Outcome.FAILURE
    assert event.data["code"] == "InvalidClientTokenId"
    assert SECRET not in _audit_text(tenant)


def test_wrong_key_fails_clearly_with_zero_aws_calls(tenant, user, settings, hooks):
    connection = AwsConnectionFactory(tenant=tenant)
    settings.POOLCONSOLE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(EncryptionKeyError):
        services.connection_credentials(connection=connection)
    result = services.connection_test(connection=connection, actor=user)
    assert not result.ok
    assert "POOLCONSOLE_ENCRYPTION_KEYS" in result.message
    assert hooks.requests == []


def test_wrong_key_assume_role_base_credentials_are_not_needed(tenant, user, hooks):
    # Assume-role connections hold no secret: a key problem cannot block them.
    connection = AssumeRoleConnectionFactory(tenant=tenant)
    hooks.respond = sts_error("AccessDenied", status=403)
    result = services.connection_test(connection=connection, actor=user)
    assert result.kind == "access_denied"
    assert "sts:ExternalId" in result.message
    assert connection.external_id not in result.message


def test_connection_test_refuses_an_unlisted_endpoint_before_any_call(
    tenant, user, hooks
):
    # An internal address: poolconsole's own credentials would be sent to it
    # (sts:AssumeRole), and its answer shown as the test's message.
    with FakeEndpoint() as endpoint:
        connection = AssumeRoleConnectionFactory(
            tenant=tenant, endpoint_url=endpoint.url
        )
        result = services.connection_test(connection=connection, actor=user)
        assert endpoint.count == 0
    assert hooks.requests == []
    assert not result.ok
    assert result.kind == "endpoint_not_allowed"
    assert "POOLCONSOLE_ENDPOINT_URLS" in result.message
    connection.refresh_from_db()
    assert connection.last_test_ok is False
    assert connection.last_test_message == result.message


def test_audit_runs_inside_the_service_transaction(tenant, user):
    with pytest.raises(RuntimeError), transaction.atomic():
        _create(tenant, user)
        raise RuntimeError("roll back")
    assert not AwsConnection.objects.exists()
    assert not AuditEvent.objects.filter(action="connection.created").exists()
