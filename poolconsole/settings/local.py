"""Development settings: work with no environment at all."""

import os

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    POOLCONSOLE_ENDPOINT_URLS,
    SANDBOX_ENDPOINT_URL,
    env_bool,
)

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-development-only"

# `make run` writes a development encryption key here once (git-ignored).
_key_file = BASE_DIR / ".local" / "encryption-keys"
if not os.environ.get("POOLCONSOLE_ENCRYPTION_KEYS") and _key_file.exists():
    POOLCONSOLE_ENCRYPTION_KEYS = [  # noqa: F811
        k.strip() for k in _key_file.read_text().split(",") if k.strip()
    ]

# `make run`'s emulator (scripts/run-dev.sh sets its URL), besides any listed.
POOLCONSOLE_ENDPOINT_URLS = [*POOLCONSOLE_ENDPOINT_URLS, SANDBOX_ENDPOINT_URL]
