"""The database, dumped as a whole, holds no plaintext secret."""

import shutil
import subprocess

import pytest
from django.db import connection as db

from poolconsole.credentials import services
from poolconsole.credentials.models import AuthMode

SECRET = "storage-canary-secret-5b1f0c"
TOKEN = "storage-canary-token-9e2d77"
AKID = "AKIASTORAGECANARY123"


@pytest.fixture
def stored(transactional_db, tenant, user):
    """A committed connection holding the canary secrets."""
    return services.connection_create(
        tenant=tenant,
        actor=user,
        name="Storage canary",
        region="us-east-1",
        auth_mode=AuthMode.ACCESS_KEYS,
        access_key_id=AKID,
        secret_access_key=SECRET,
        session_token=TOKEN,
    )


def _assert_no_plaintext(dump: bytes) -> None:
    assert b"Storage canary" in dump  # the dump does hold the connection
    for value in (SECRET, TOKEN, AKID):
        assert value.encode() not in dump, value
        assert value.encode("utf-16-le") not in dump, value


def test_sqlite_file_bytes_hold_no_plaintext_secret(stored, tmp_path):
    if db.vendor != "sqlite":
        pytest.skip("SQLite only")
    path = tmp_path / "dump.sqlite3"
    with db.cursor() as cursor:
        # The test database lives in memory; VACUUM INTO writes its exact pages.
        cursor.execute("VACUUM INTO %s", [str(path)])
    _assert_no_plaintext(path.read_bytes())
    _assert_no_plaintext("\n".join(db.connection.iterdump()).encode())


def test_pg_dump_holds_no_plaintext_secret(stored):
    if db.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    settings = db.settings_dict
    command = ["pg_dump", "-h", settings.get("HOST") or "127.0.0.1"]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    command += ["-U", settings.get("USER") or "postgres", settings["NAME"]]
    env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
    dump = subprocess.run(
        command, capture_output=True, check=True, env=env, timeout=120
    ).stdout
    _assert_no_plaintext(dump)
