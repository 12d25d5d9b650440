"""The connection form: listed endpoint URLs only, keys re-entered to move them."""

import pytest

from poolconsole.credentials.forms import (
    ENDPOINT_NOT_LISTED,
    KEYS_AGAIN,
    ConnectionForm,
)
from poolconsole.credentials.models import AuthMode
from tests.credentials.factories import (
    AssumeRoleConnectionFactory,
    AwsConnectionFactory,
)

pytestmark = pytest.mark.django_db

LISTED = "http://127.0.0.1:5055"  # in test settings' POOLCONSOLE_ENDPOINT_URLS
ROLE_ARN = "arn:aws:iam::123456789012:role/poolconsole"


def _data(**overrides) -> dict:
    return {
        "name": "Connection",
        "region": "us-east-1",
        "auth_mode": AuthMode.ACCESS_KEYS,
        "access_key_id": "AKIAFORMTEST00001234",
        "secret_access_key": "form-secret",
    } | overrides


@pytest.mark.parametrize(
    "endpoint_url",
    [
        "http://127.0.0.1:8999/",
        "http://169.254.169.254/latest/",
        "https://127.0.0.1:5055",
        "http://127.0.0.1:5055@attacker.example/",
    ],
)
@pytest.mark.parametrize(
    "auth",
    [
        {"auth_mode": AuthMode.ACCESS_KEYS},
        {"auth_mode": AuthMode.ASSUME_ROLE, "role_arn": ROLE_ARN},
    ],
)
def test_connection_form_rejects_an_unlisted_endpoint_url(endpoint_url, auth):
    form = ConnectionForm(data=_data(endpoint_url=endpoint_url, **auth))
    assert not form.is_valid()
    assert form.errors["endpoint_url"] == [ENDPOINT_NOT_LISTED]
    assert "POOLCONSOLE_ENDPOINT_URLS" in ENDPOINT_NOT_LISTED


@pytest.mark.parametrize("endpoint_url", ["", LISTED, f"{LISTED}/"])
def test_connection_form_accepts_blank_or_a_listed_endpoint_url(endpoint_url):
    form = ConnectionForm(data=_data(endpoint_url=endpoint_url))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["endpoint_url"] == endpoint_url


def test_connection_form_compares_endpoint_urls_normalised(settings):
    settings.POOLCONSOLE_ENDPOINT_URLS = ["http://localhost:4566/"]
    form = ConnectionForm(data=_data(endpoint_url="HTTP://LocalHost:4566"))
    assert form.is_valid(), form.errors
    form = ConnectionForm(data=_data(endpoint_url=LISTED))
    assert form.errors["endpoint_url"] == [ENDPOINT_NOT_LISTED]


@pytest.mark.parametrize(
    "endpoint_url", ["http://localstack:4566", "http://moto:5000/", "HTTP://Moto:5000"]
)
def test_connection_form_accepts_a_listed_compose_service_name(settings, endpoint_url):
    # Docker Compose reaches an emulator by its service's name: no dot.
    settings.POOLCONSOLE_ENDPOINT_URLS = ["http://localstack:4566", "http://moto:5000"]
    form = ConnectionForm(data=_data(endpoint_url=endpoint_url))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "endpoint_url",
    [
        "localstack:4566",
        "http://-localstack-:4566",
        "http://local stack:4566",
        "http://a..b:4566",
        "ftp://localstack:21",
        "http://",
    ],
)
def test_connection_form_still_rejects_a_malformed_endpoint_url(settings, endpoint_url):
    settings.POOLCONSOLE_ENDPOINT_URLS = [endpoint_url]
    form = ConnectionForm(data=_data(endpoint_url=endpoint_url))
    assert not form.is_valid()
    assert "Enter a valid URL." in form.errors["endpoint_url"]


def test_connection_form_rejects_a_stored_endpoint_no_longer_listed(settings):
    connection = AwsConnectionFactory(endpoint_url=LISTED)
    settings.POOLCONSOLE_ENDPOINT_URLS = []
    form = ConnectionForm(
        data=_data(endpoint_url=LISTED, access_key_id="", secret_access_key=""),
        connection=connection,
    )
    assert form.errors["endpoint_url"] == [ENDPOINT_NOT_LISTED]


@pytest.mark.parametrize(
    "before,after",
    [("", LISTED), (LISTED, ""), (LISTED, "http://localhost:4566")],
)
def test_connection_form_changing_the_endpoint_needs_the_keys_again(
    settings, before, after
):
    settings.POOLCONSOLE_ENDPOINT_URLS = [LISTED, "http://localhost:4566"]
    connection = AwsConnectionFactory(endpoint_url=before, session_token="tok")
    blank = {"access_key_id": "", "secret_access_key": "", "session_token": ""}
    form = ConnectionForm(
        data=_data(endpoint_url=after, **blank), connection=connection
    )
    assert not form.is_valid()
    assert form.errors["access_key_id"] == [KEYS_AGAIN]
    assert form.errors["secret_access_key"] == [KEYS_AGAIN]
    # The secret alone would still send the stored key id and token there.
    form = ConnectionForm(
        data=_data(endpoint_url=after, **blank | {"secret_access_key": "again"}),
        connection=connection,
    )
    assert form.errors["access_key_id"] == [KEYS_AGAIN]
    assert "secret_access_key" not in form.errors
    form = ConnectionForm(data=_data(endpoint_url=after), connection=connection)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("endpoint_url", [LISTED, f"{LISTED}/"])
def test_connection_form_same_endpoint_keeps_the_stored_keys(endpoint_url):
    connection = AwsConnectionFactory(endpoint_url=LISTED)
    form = ConnectionForm(
        data=_data(endpoint_url=endpoint_url, access_key_id="", secret_access_key=""),
        connection=connection,
    )
    assert form.is_valid(), form.errors


def test_connection_form_switching_to_access_keys_needs_the_keys_again():
    # Switching to assume-role drops stored keys; a row that kept some (saved
    # before that rule) must not bring them back for another destination.
    connection = AssumeRoleConnectionFactory(
        endpoint_url=LISTED, access_key_id="AKIAOLDROLEKEY001234", secret_access_key="s"
    )
    assert connection.has_access_keys
    form = ConnectionForm(
        data=_data(endpoint_url=LISTED, access_key_id="", secret_access_key=""),
        connection=connection,
    )
    assert form.errors["access_key_id"] == [KEYS_AGAIN]
    assert form.errors["secret_access_key"] == [KEYS_AGAIN]
