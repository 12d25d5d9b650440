"""Settings for the test suite."""

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Two fixed test keys: the first encrypts, both decrypt.
POOLCONSOLE_ENCRYPTION_KEYS = [
    "qcxWoQTO3YfymaTDCbF3PCp9ZDVK2fWS0rZaEM7-9xw=",
]
ALLOWED_HOSTS = ["*"]
# The emulator URL the tests name; tests of a server on a free port list its
# URL themselves (the ``allow_endpoint`` fixture).
POOLCONSOLE_ENDPOINT_URLS = ["http://127.0.0.1:5055"]
# The live server of the browser tests serves static files from the sources.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}  # noqa: F405
