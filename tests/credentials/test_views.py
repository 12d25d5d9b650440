"""Connection pages: roles, forms, and what each role may see."""

import pytest
from django.urls import reverse
from moto import mock_aws

from poolconsole.audit.models import AuditEvent
from poolconsole.credentials.forms import ENDPOINT_NOT_LISTED, KEYS_AGAIN
from poolconsole.credentials.models import AuthMode, AwsConnection
from poolconsole.credentials.services import connection_credentials
from tests.credentials.factories import (
    AssumeRoleConnectionFactory,
    AwsConnectionFactory,
)
from tests.integrations.fakes import FakeEndpoint

LISTED = "http://127.0.0.1:5055"  # in test settings' POOLCONSOLE_ENDPOINT_URLS

pytestmark = pytest.mark.django_db


def _url(name, tenant, connection=None):
    kwargs = {"tenant_slug": tenant.slug}
    if connection is not None:
        kwargs["connection_id"] = connection.pk
    return reverse(f"credentials:{name}", kwargs=kwargs)


@pytest.fixture
def connection(tenant):
    return AwsConnectionFactory(
        tenant=tenant, name="Prod keys", access_key_id="AKIAVIEWTEST0000LAST"
    )


@pytest.fixture
def role_connection(tenant):
    return AssumeRoleConnectionFactory(tenant=tenant, name="Prod role")


@pytest.mark.parametrize("who", ["operator_client", "viewer_client"])
def test_non_admins_cannot_write(request, tenant, connection, who):
    client = request.getfixturevalue(who)
    before = list(AwsConnection.objects.values_list())
    assert client.get(_url("create", tenant)).status_code == 403
    assert client.post(_url("create", tenant), {"name": "x"}).status_code == 403
    assert client.get(_url("edit", tenant, connection)).status_code == 403
    assert client.post(_url("edit", tenant, connection), {}).status_code == 403
    assert client.post(_url("test", tenant, connection)).status_code == 403
    assert client.post(_url("archive", tenant, connection)).status_code == 403
    assert list(AwsConnection.objects.values_list()) == before


@pytest.mark.parametrize("who", ["operator_client", "viewer_client"])
def test_non_admins_see_names_and_regions_only(
    request, tenant, connection, role_connection, who
):
    client = request.getfixturevalue(who)
    page = client.get(_url("list", tenant)).content.decode()
    assert "Prod keys" in page and "Prod role" in page and "us-east-1" in page
    assert role_connection.role_arn not in page
    assert role_connection.external_id not in page
    assert "LAST" not in page
    assert _url("edit", tenant, connection) not in page


def test_admin_sees_details_and_actions(admin_client, tenant, connection):
    role = AssumeRoleConnectionFactory(tenant=tenant, name="Prod role")
    page = admin_client.get(_url("list", tenant)).content.decode()
    assert "…LAST" in page
    assert "AKIAVIEWTEST0000LAST" not in page
    assert role.role_arn in page
    assert _url("edit", tenant, connection) in page
    edit = admin_client.get(_url("edit", tenant, role)).content.decode()
    assert role.external_id in edit


def test_create_assume_role_connection_then_show_external_id(admin_client, tenant):
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "Role",
            "region": "eu-central-1",
            "auth_mode": AuthMode.ASSUME_ROLE,
            "role_arn": "arn:aws:iam::123456789012:role/poolconsole",
        },
        follow=True,
    )
    created = AwsConnection.objects.get(name="Role")
    assert created.region == "eu-central-1"
    assert created.external_id in response.content.decode()


def test_edit_with_blank_secrets_keeps_them(admin_client, tenant, connection):
    form = admin_client.get(_url("edit", tenant, connection)).content.decode()
    assert "Leave blank to keep the current secret" in form
    assert 'type="password"' in form
    response = admin_client.post(
        _url("edit", tenant, connection),
        {
            "name": "Renamed",
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": "",
            "secret_access_key": "",
        },
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.name == "Renamed"
    assert connection_credentials(connection=connection)["aws_secret_access_key"] == (
        "testing-secret"
    )


def test_region_is_a_choice_of_cognito_regions(admin_client, tenant):
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "Bad region",
            "region": "xx-nowhere-1",
            "auth_mode": AuthMode.ASSUME_ROLE,
            "role_arn": "arn:aws:iam::123456789012:role/poolconsole",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not AwsConnection.objects.filter(name="Bad region").exists()


@mock_aws
def test_test_button_shows_account_and_arn(admin_client, tenant, connection):
    response = admin_client.post(_url("test", tenant, connection), follow=True)
    page = response.content.decode()
    assert "123456789012" in page
    assert "arn:aws:" in page


def test_archive_keeps_the_connection(admin_client, tenant, connection):
    response = admin_client.post(_url("archive", tenant, connection), follow=True)
    assert "archived" in response.content.decode()
    connection.refresh_from_db()
    assert connection.is_archived


def test_create_with_an_unlisted_endpoint_is_refused_at_the_field(admin_client, tenant):
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "Listener",
            "region": "us-east-1",
            "auth_mode": AuthMode.ASSUME_ROLE,
            "role_arn": "arn:aws:iam::123456789012:role/poolconsole",
            "endpoint_url": "http://127.0.0.1:8999/",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["endpoint_url"] == [ENDPOINT_NOT_LISTED]
    assert "POOLCONSOLE_ENDPOINT_URLS" in response.content.decode()
    assert not AwsConnection.objects.filter(name="Listener").exists()


def test_create_with_a_listed_endpoint(admin_client, tenant):
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "Sandbox",
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": "AKIASANDBOX000001234",
            "secret_access_key": "testing",
            "endpoint_url": f"{LISTED}/",
        },
    )
    assert response.status_code == 302
    assert AwsConnection.objects.get(name="Sandbox").endpoint_url == f"{LISTED}/"


def test_create_with_a_listed_compose_service_name(admin_client, tenant, settings):
    settings.POOLCONSOLE_ENDPOINT_URLS = ["http://localstack:4566"]
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "LocalStack",
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": "AKIALOCALSTACK001234",
            "secret_access_key": "testing",
            "endpoint_url": "http://localstack:4566",
        },
    )
    assert response.status_code == 302
    connection = AwsConnection.objects.get(name="LocalStack")
    assert connection.endpoint_url == "http://localstack:4566"


def test_edit_endpoint_of_access_keys_needs_the_keys_again(admin_client, tenant):
    connection = AwsConnectionFactory(
        tenant=tenant,
        name="Keys",
        access_key_id="AKIASTOREDKEY0001234",
        secret_access_key="stored-secret",
        session_token="stored-token",
    )
    data = {
        "name": "Keys",
        "region": "us-east-1",
        "auth_mode": AuthMode.ACCESS_KEYS,
        "endpoint_url": LISTED,
    }
    response = admin_client.post(_url("edit", tenant, connection), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["access_key_id"] == errors["secret_access_key"] == [KEYS_AGAIN]
    connection.refresh_from_db()
    assert connection.endpoint_url == ""

    keys = {"access_key_id": "AKIASTOREDKEY0001234", "secret_access_key": "again"}
    response = admin_client.post(_url("edit", tenant, connection), data | keys)
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.endpoint_url == LISTED
    # The stored token was entered for AWS: it is not sent to the emulator.
    assert connection_credentials(connection=connection) == {
        "aws_access_key_id": "AKIASTOREDKEY0001234",
        "aws_secret_access_key": "again",
        "aws_session_token": None,
    }


def test_test_button_refuses_a_stored_unlisted_endpoint(
    admin_client, tenant, settings, hooks
):
    with FakeEndpoint() as endpoint:
        settings.POOLCONSOLE_ENDPOINT_URLS = [endpoint.url]
        connection = AwsConnectionFactory(
            tenant=tenant, name="Emulator", endpoint_url=endpoint.url
        )
        # The operator no longer lists the endpoint the connection was saved with.
        settings.POOLCONSOLE_ENDPOINT_URLS = []
        response = admin_client.post(_url("test", tenant, connection), follow=True)
        assert endpoint.count == 0
    assert hooks.requests == []
    assert "POOLCONSOLE_ENDPOINT_URLS" in response.content.decode()
    connection.refresh_from_db()
    assert connection.last_test_ok is False
    event = AuditEvent.objects.get(action="connection.tested")
    assert event.data["kind"] == "endpoint_not_allowed"


def test_a_form_sent_back_asks_for_the_keys_again_without_echoing_them(
    admin_client, tenant
):
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "",
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": "AKIATYPEDKEY00001234",
            "secret_access_key": "typed-secret-never-echoed",
            "session_token": "typed-token-never-echoed",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert "AKIATYPEDKEY00001234" not in page
    assert "typed-secret-never-echoed" not in page
    assert "typed-token-never-echoed" not in page
    assert "type the access key ID, secret access key and session token again" in page
    assert not AwsConnection.objects.exists()
