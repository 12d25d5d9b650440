"""The client factory: config, retries, assume-role and error mapping."""

import re
from pathlib import Path

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from moto import mock_aws

import poolconsole
from poolconsole.credentials.models import AuthMode
from poolconsole.integrations import aws
from tests.credentials.factories import (
    AssumeRoleConnectionFactory,
    AwsConnectionFactory,
)
from tests.factories import UserFactory
from tests.integrations.fakes import FakeEndpoint, sts_error

pytestmark = pytest.mark.django_db


def _importers(pattern: str) -> set[str]:
    root = Path(poolconsole.__file__).parent
    regex = re.compile(pattern, re.MULTILINE)
    return {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if regex.search(path.read_text())
    }


def test_only_the_integrations_module_imports_boto3():
    assert _importers(r"^\s*(import|from)\s+boto3\b") == {"integrations/aws.py"}
    # Module-level botocore imports; a lazy import of botocore's service model
    # (no client, no credentials) is tolerated until aws.service_model is used.
    assert _importers(r"^(import|from)\s+botocore\b") == {"integrations/aws.py"}


def test_client_config_has_timeouts_user_agent_and_retries():
    read = aws.client_config()
    create = aws.client_config(for_create=True)
    for config in (read, create):
        assert config.connect_timeout == 5
        assert config.read_timeout == 20
        assert config.user_agent_extra == f"poolconsole/{poolconsole.__version__}"
    assert read.retries == {"mode": "standard", "total_max_attempts": 3}
    assert create.retries == {"total_max_attempts": 1}


def test_cognito_client_uses_region_and_endpoint():
    connection = AwsConnectionFactory(
        region="eu-west-1", endpoint_url="http://127.0.0.1:5055"
    )
    client = aws.cognito_client(connection=connection)
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.endpoint_url == "http://127.0.0.1:5055"
    assert "poolconsole/" in client.meta.config.user_agent_extra


@pytest.mark.parametrize("mode", ["500", "hang"])
def test_create_client_sends_exactly_one_request(monkeypatch, allow_endpoint, mode):
    monkeypatch.setattr(aws, "READ_TIMEOUT", 0.5)
    with FakeEndpoint(mode=mode, hang_seconds=2) as endpoint:
        connection = AwsConnectionFactory(endpoint_url=allow_endpoint(endpoint.url))
        client = aws.cognito_client(connection=connection, for_create=True)
        with pytest.raises((ClientError, ReadTimeoutError)) as info:
            client.create_user_pool(PoolName="exactly-once")
        error = aws.aws_error_from(info.value)
        assert error.kind == ("server_error" if mode == "500" else "timeout")
        assert endpoint.count == 1


def test_read_client_retries_server_errors(allow_endpoint):
    with FakeEndpoint(mode="500") as endpoint:
        connection = AwsConnectionFactory(endpoint_url=allow_endpoint(endpoint.url))
        client = aws.cognito_client(connection=connection)
        with pytest.raises(ClientError):
            client.list_user_pools(MaxResults=10)
        assert endpoint.count == 3


def test_role_session_name_names_the_user():
    assert aws.role_session_name(UserFactory(username="alice")) == "poolconsole-alice"
    assert aws.role_session_name(None) == "poolconsole-system"
    odd = aws.role_session_name(UserFactory(username="a b/c" + "x" * 80))
    assert re.fullmatch(r"[\w+=,.@-]{2,64}", odd)


@mock_aws
def test_caller_identity_with_access_keys_against_moto():
    identity = aws.caller_identity(connection=AwsConnectionFactory())
    assert identity["account"] == "123456789012"
    assert identity["arn"].startswith("arn:aws:")


@mock_aws
def test_assume_role_sends_external_id_and_session_name(hooks):
    connection = AssumeRoleConnectionFactory()
    user = UserFactory(username="alice")
    identity = aws.caller_identity(connection=connection, user=user)
    assert identity["arn"].endswith("/poolconsole/poolconsole-alice")
    assume = hooks.requests[0]
    body = assume.body.decode() if isinstance(assume.body, bytes) else assume.body
    assert "Action=AssumeRole" in body
    assert f"ExternalId={connection.external_id}" in body
    assert "RoleSessionName=poolconsole-alice" in body


def test_assume_role_access_denied_points_to_the_external_id_without_it(hooks):
    # The message is stored and audited where viewers read it: it says
    # where the external ID is (the admins' connection page), not the ID.
    hooks.respond = sts_error("AccessDenied", "not authorized", status=403)
    connection = AssumeRoleConnectionFactory()
    with pytest.raises(aws.AwsError) as info:
        aws.caller_identity(connection=connection)
    assert info.value.kind == "access_denied"
    assert connection.external_id not in info.value.message
    assert "sts:ExternalId" in info.value.message
    assert "connection's page" in info.value.message
    assert connection.role_arn in info.value.message
    assert len(hooks.requests) == 1  # sts:AssumeRole only


def test_unknown_region_fails_before_any_request(hooks):
    connection = AwsConnectionFactory(region="xx-nowhere-1")
    with pytest.raises(aws.AwsError) as info:
        aws.caller_identity(connection=connection)
    assert info.value.kind == "unknown_region"
    assert hooks.requests == []


def _client_error(code, status=400):
    return ClientError(
        {
            "Error": {"Code": code, "Message": "msg"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "CreateUserPool",
    )


@pytest.mark.parametrize(
    "exc,kind",
    [
        (_client_error("InvalidClientTokenId", 403), "invalid_credentials"),
        (_client_error("UnrecognizedClientException", 400), "invalid_credentials"),
        (_client_error("SignatureDoesNotMatch", 403), "invalid_credentials"),
        (_client_error("ExpiredToken"), "expired_token"),
        (_client_error("ExpiredTokenException"), "expired_token"),
        (_client_error("AccessDenied", 403), "access_denied"),
        (_client_error("AccessDeniedException", 400), "access_denied"),
        (_client_error("ThrottlingException"), "throttled"),
        (_client_error("TooManyRequestsException"), "throttled"),
        (_client_error("InvalidParameterException"), "invalid_parameter"),
        (_client_error("LimitExceededException"), "limit_exceeded"),
        (_client_error("ResourceNotFoundException"), "not_found"),
        (_client_error("InvalidSmsRoleTrustRelationshipException"), "invalid_sms_role"),
        (_client_error("InvalidSmsRoleAccessPolicyException"), "invalid_sms_role"),
        (_client_error("RegionDisabledException", 403), "unknown_region"),
        (_client_error("InternalErrorException", 500), "server_error"),
        (_client_error("SomethingNew", 503), "server_error"),
        (_client_error("SomethingNew", 400), "unknown"),
        (EndpointConnectionError(endpoint_url="http://x"), "endpoint_unreachable"),
        (ConnectTimeoutError(endpoint_url="http://x"), "timeout"),
        (ReadTimeoutError(endpoint_url="http://x"), "timeout"),
        (NoCredentialsError(), "invalid_credentials"),
    ],
)
def test_aws_error_from_classifies(exc, kind):
    error = aws.aws_error_from(exc)
    assert isinstance(error, aws.AwsError)
    assert error.kind == kind
    assert error.kind in aws.KINDS
    assert error.message
    if isinstance(exc, ClientError):
        assert error.code == exc.response["Error"]["Code"]
        assert error.aws_message == "msg"
        assert error.code in error.message


def test_access_key_session_uses_stored_keys():
    connection = AwsConnectionFactory(
        access_key_id="AKIAEXAMPLE00000ABCD",
        secret_access_key="s3cret",
        session_token="tok",
    )
    assert connection.auth_mode == AuthMode.ACCESS_KEYS
    credentials = aws.sts_client(connection=connection)._request_signer._credentials
    assert credentials.access_key == "AKIAEXAMPLE00000ABCD"
    assert credentials.secret_key == "s3cret"
    assert credentials.token == "tok"


@pytest.mark.parametrize("code", ["InvalidClientTokenId", "ExpiredToken"])
def test_assume_role_with_bad_base_credentials_says_whose_they_are(hooks, code):
    hooks.respond = sts_error(code, status=403)
    with pytest.raises(aws.AwsError) as info:
        aws.caller_identity(connection=AssumeRoleConnectionFactory())
    assert "poolconsole's own AWS credentials" in info.value.message


def test_assume_role_without_base_credentials(monkeypatch, hooks):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.delenv("AWS_SECURITY_TOKEN")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(aws.AwsError) as info:
        aws.caller_identity(connection=AssumeRoleConnectionFactory())
    assert info.value.kind == "invalid_credentials"
    assert "poolconsole's own AWS credentials" in info.value.message
    assert hooks.requests == []


def test_clients_of_two_connections_keep_their_own_credentials():
    one = AwsConnectionFactory(access_key_id="AKIAONE", secret_access_key="one")
    two = AwsConnectionFactory(access_key_id="AKIATWO", secret_access_key="two")
    first = aws.cognito_client(connection=one)
    second = aws.cognito_client(connection=two)
    assert first._request_signer._credentials.access_key == "AKIAONE"
    assert second._request_signer._credentials.access_key == "AKIATWO"
    # The thread's session itself holds nobody's keys.
    assert aws._session().get_credentials() is None or (
        aws._session().get_credentials().access_key not in ("AKIAONE", "AKIATWO")
    )


def test_clients_of_stored_keys_are_kept_until_the_keys_change():
    from poolconsole.credentials.services import connection_update

    connection = AwsConnectionFactory(access_key_id="AKIAOLD", secret_access_key="a")
    first = aws.cognito_client(connection=connection)
    assert aws.cognito_client(connection=connection) is first
    # The create client (no retries) is another client.
    create = aws.cognito_client(connection=connection, for_create=True)
    assert create is not first
    assert create.meta.config.retries["total_max_attempts"] == 1
    connection = connection_update(
        connection=connection,
        actor=UserFactory(),
        name=connection.name,
        region=connection.region,
        auth_mode=connection.auth_mode,
        access_key_id="AKIANEW",
        secret_access_key="b",
    )
    rotated = aws.cognito_client(connection=connection)
    assert rotated is not first
    assert rotated._request_signer._credentials.access_key == "AKIANEW"


def test_kept_clients_are_bounded_and_assumed_roles_are_not_kept(hooks):
    connections = [
        AwsConnectionFactory(access_key_id=f"AKIA{n:04d}", secret_access_key="s")
        for n in range(aws.CLIENTS_KEPT + 1)
    ]
    first = aws.cognito_client(connection=connections[0])
    for connection in connections[1:]:
        aws.cognito_client(connection=connection)
    assert len(aws._kept_clients) == aws.CLIENTS_KEPT
    assert aws.cognito_client(connection=connections[0]) is not first

    hooks.respond = None
    role = AssumeRoleConnectionFactory()
    with mock_aws():
        one = aws.cognito_client(connection=role)
        two = aws.cognito_client(connection=role)
    assert one is not two
    assert one._request_signer._credentials.access_key != "testing"


@pytest.mark.parametrize(
    "url,normalised",
    [
        ("http://127.0.0.1:5055", "http://127.0.0.1:5055"),
        ("http://127.0.0.1:5055/", "http://127.0.0.1:5055"),
        (" HTTP://LocalStack:4566/ ", "http://localstack:4566"),
        ("https://emulator.internal", "https://emulator.internal:443"),
        ("http://[::1]:5055/path/", "http://[::1]:5055/path"),
        # These name no endpoint an operator lists: they match nothing.
        ("ftp://127.0.0.1:5055", ""),
        ("http://127.0.0.1:5055@169.254.169.254/", ""),
        ("http://127.0.0.1:5055/?x=1", ""),
        ("http://127.0.0.1:port", ""),
        ("http://localstac\u212a:4566", ""),
        ("", ""),
    ],
)
def test_normalised_endpoint_url(url, normalised):
    assert aws.normalised_endpoint_url(url) == normalised


def test_endpoint_url_allowed_only_when_listed(settings):
    settings.POOLCONSOLE_ENDPOINT_URLS = ["http://127.0.0.1:5055/", "http://ls:4566"]
    assert aws.endpoint_url_allowed("")  # AWS's own endpoints
    assert aws.endpoint_url_allowed("http://127.0.0.1:5055")
    assert aws.endpoint_url_allowed("HTTP://LS:4566/")
    assert not aws.endpoint_url_allowed("http://127.0.0.1:5056")
    assert not aws.endpoint_url_allowed("https://127.0.0.1:5055")
    assert not aws.endpoint_url_allowed("http://169.254.169.254/latest/")
    settings.POOLCONSOLE_ENDPOINT_URLS = []
    assert aws.endpoint_url_allowed("")
    assert not aws.endpoint_url_allowed("http://127.0.0.1:5055")


def test_assume_role_at_an_unlisted_endpoint_sends_nothing(hooks):
    # The endpoint would receive poolconsole's own credentials (its session
    # token and access key id) in the sts:AssumeRole request.
    with FakeEndpoint(mode="500") as endpoint:
        connection = AssumeRoleConnectionFactory(endpoint_url=f"{endpoint.url}/")
        with pytest.raises(aws.AwsError) as info:
            aws.caller_identity(connection=connection)
        assert endpoint.count == 0
    assert info.value.kind == "endpoint_not_allowed"
    assert "POOLCONSOLE_ENDPOINT_URLS" in info.value.message
    assert hooks.requests == []


def test_clients_refuse_an_endpoint_no_longer_listed(settings, hooks):
    connection = AwsConnectionFactory(endpoint_url="http://127.0.0.1:5055")
    aws.cognito_client(connection=connection)  # listed: kept for later requests
    settings.POOLCONSOLE_ENDPOINT_URLS = []
    for make in (
        lambda: aws.cognito_client(connection=connection),
        lambda: aws.cognito_client(connection=connection, for_create=True),
        lambda: aws.sts_client(connection=connection),
        lambda: aws.caller_identity(connection=connection),
        lambda: aws._client(
            "sts", connection=connection, credentials={}, config=aws.client_config()
        ),
    ):
        with pytest.raises(aws.AwsError) as info:
            make()
        assert info.value.kind == "endpoint_not_allowed"
    assert hooks.requests == []
