"""Encryption of stored secrets: MultiFernet keys, loud failures, rotation."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from poolconsole.audit.models import AuditEvent
from poolconsole.credentials import crypto
from poolconsole.credentials.crypto import EncryptionKeyError
from poolconsole.credentials.services import connection_credentials
from tests.credentials.factories import AwsConnectionFactory
from tests.factories import TenantFactory

OLD_KEY = "qcxWoQTO3YfymaTDCbF3PCp9ZDVK2fWS0rZaEM7-9xw="  # the test settings' key
NEW_KEY = Fernet.generate_key().decode()


def test_encrypt_round_trips_and_hides_the_plaintext():
    token = crypto.encrypt("hunter2-secret")
    assert "hunter2" not in token
    assert token != crypto.encrypt("hunter2-secret")  # random IV
    assert crypto.decrypt(token) == "hunter2-secret"


def test_first_key_encrypts_and_every_key_decrypts(settings):
    old_token = crypto.encrypt("old")
    settings.POOLCONSOLE_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert crypto.decrypt(old_token) == "old"
    new_token = crypto.encrypt("new")
    assert Fernet(NEW_KEY).decrypt(new_token.encode()) == b"new"


def test_wrong_key_raises_a_clear_error_never_ciphertext(settings):
    token = crypto.encrypt("secret")
    settings.POOLCONSOLE_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(EncryptionKeyError) as info:
        crypto.decrypt(token)
    assert "cannot be decrypted with the configured POOLCONSOLE_ENCRYPTION_KEYS" in (
        info.value.message
    )
    assert token not in str(info.value)


@pytest.mark.parametrize("keys", [[], None, ["not-a-fernet-key"]])
def test_missing_or_invalid_keys_raise(settings, keys):
    settings.POOLCONSOLE_ENCRYPTION_KEYS = keys
    with pytest.raises(EncryptionKeyError, match="POOLCONSOLE_ENCRYPTION_KEYS"):
        crypto.encrypt("secret")


def test_keys_are_not_derived_from_secret_key(settings):
    token = crypto.encrypt("secret")
    settings.SECRET_KEY = "something-else-entirely"
    assert crypto.decrypt(token) == "secret"
    assert Fernet(OLD_KEY).decrypt(token.encode()) == b"secret"


@pytest.mark.django_db
def test_rotation_then_dropping_the_old_key_keeps_every_secret_readable(settings):
    tenants = [TenantFactory(slug="one"), TenantFactory(slug="two")]
    connections = [
        AwsConnectionFactory(
            tenant=tenant,
            access_key_id=f"AKIAROTATE{n:010d}",
            secret_access_key=f"rotate-secret-{n}",
            session_token=f"rotate-token-{n}" if n % 2 else "",
        )
        for n, tenant in enumerate(tenants * 2)
    ]
    settings.POOLCONSOLE_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.POOLCONSOLE_ENCRYPTION_KEYS = [NEW_KEY]
    for n, connection in enumerate(connections):
        connection.refresh_from_db()
        credentials = connection_credentials(connection=connection)
        assert credentials["aws_secret_access_key"] == f"rotate-secret-{n}"
        assert credentials["aws_session_token"] == (
            f"rotate-token-{n}" if n % 2 else None
        )
    for tenant in tenants:
        event = AuditEvent.objects.get(tenant=tenant, action="encryption.rotated")
        assert event.data == {"connections": 2}


@pytest.mark.django_db
def test_rotation_without_the_old_key_fails_loudly_and_changes_nothing(settings):
    connection = AwsConnectionFactory()
    before = connection.secret_access_key_encrypted
    settings.POOLCONSOLE_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match="cannot be rotated"):
        call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    connection.refresh_from_db()
    assert connection.secret_access_key_encrypted == before
