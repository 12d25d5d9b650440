"""Encrypt the secrets of AWS connections with keys from the environment.

``POOLCONSOLE_ENCRYPTION_KEYS`` is a list of Fernet keys, newest first: the
first encrypts, every one decrypts, so a new key can be put in front and the
old one dropped after ``manage.py rotate_encryption_keys``. The keys are never
derived from ``SECRET_KEY``. A token that no configured key opens raises
``EncryptionKeyError``: unlike ``jazzband/django-fernet-encrypted-fields``,
ciphertext is never handed back as if it were the secret.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from poolconsole.core.exceptions import ApplicationError


class EncryptionKeyError(ApplicationError):
    """A stored secret cannot be encrypted or decrypted with the configured keys."""


def _multi_fernet() -> MultiFernet:
    """Return a MultiFernet of the configured keys, newest first."""
    keys = list(getattr(settings, "POOLCONSOLE_ENCRYPTION_KEYS", None) or [])
    if not keys:
        raise EncryptionKeyError(
            "No encryption key is configured: set POOLCONSOLE_ENCRYPTION_KEYS to a "
            "comma-separated list of Fernet keys (generate one with "
            '`python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"`).'
        )
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            raise EncryptionKeyError(
                f"Key number {position} of POOLCONSOLE_ENCRYPTION_KEYS is not a valid "
                "Fernet key (32 url-safe base64-encoded bytes)."
            ) from None
    return MultiFernet(fernets)


@sensitive_variables("plaintext")
def encrypt(plaintext: str) -> str:
    """Return plaintext encrypted under the first configured key."""
    return _multi_fernet().encrypt(plaintext.encode()).decode()


@sensitive_variables("token")
def decrypt(token: str) -> str:
    """Return the plaintext of token, or raise EncryptionKeyError."""
    try:
        return _multi_fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # `from None`: the chained InvalidToken adds nothing the user can act on.
        raise EncryptionKeyError(
            "A stored secret cannot be decrypted with the configured "
            "POOLCONSOLE_ENCRYPTION_KEYS: the key that encrypted it is missing or "
            "wrong. Restore the previous key (keys are tried in order), or enter "
            "the secret again."
        ) from None


def rotate(token: str) -> str:
    """Return token re-encrypted under the first configured key."""
    try:
        return _multi_fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise EncryptionKeyError(
            "A stored secret cannot be decrypted with the configured "
            "POOLCONSOLE_ENCRYPTION_KEYS, so it cannot be rotated: add the old key "
            "after the new one and run the rotation again."
        ) from None
