"""Fixtures of the provisioning tests: moto, a connection, fault injection."""

import json

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from moto import mock_aws
from moto.core.models import botocore_stubber

from poolconsole.integrations import aws as aws_module
from poolconsole.provisioning import services
from tests.credentials.factories import AwsConnectionFactory

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def aws_env(monkeypatch, tmp_path):
    """Give boto3 dummy credentials and no user configuration."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-creds"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def aws(aws_env):
    """Start moto before any client exists; yield a client to inspect it."""
    with mock_aws():
        yield boto3.client("cognito-idp", region_name=REGION)


@pytest.fixture
def connection(tenant, aws):
    return AwsConnectionFactory(tenant=tenant, name="Sandbox", region=REGION)


def pool_count(client) -> int:
    """Return how many pools moto's account holds (paginated)."""
    total, token = 0, None
    while True:
        kwargs = {"MaxResults": 60, **({"NextToken": token} if token else {})}
        page = client.list_user_pools(**kwargs)
        total += len(page["UserPools"])
        token = page.get("NextToken")
        if not token:
            return total


class _Raw:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **kwargs):
        yield self._body


def error_response(code: str, message: str, status: int = 400):
    """Return a before-send responder answering a Cognito JSON error."""
    body = json.dumps({"__type": code, "message": message}).encode()

    def respond(request):
        return AWSResponse(
            request.url,
            status,
            {"Content-Type": "application/x-amz-json-1.1"},
            _Raw(body),
        )

    return respond


class Faults:
    """Decide what CreateUserPool of poolconsole's create client does.

    The create client's requests never reach moto by themselves: moto's
    stubber is unregistered from it, and ``respond`` answers instead. With
    ``create_first`` the pool is really created in moto before ``respond``
    runs, as when AWS created it and the answer was lost. The other clients
    reach moto, except for the operations ``read_faults`` maps to a
    responder (``ListUserPools``, ``DescribeUserPool``...).
    """

    def __init__(self, monkeypatch, aws):
        self.aws = aws
        self.respond = None
        self.create_first = False
        self.sent = 0
        self.read_faults = {}
        self.monkeypatch = monkeypatch
        real = services.cognito_client

        def cognito_client(*, connection, user=None, for_create=False):
            client = real(connection=connection, user=user, for_create=for_create)
            if for_create:
                client.meta.events.unregister("before-send", botocore_stubber)
                # Once per client: poolconsole keeps its clients.
                client.meta.events.register_first(
                    "before-send.cognito-idp.CreateUserPool",
                    self._before_send,
                    unique_id="faults",
                )
            else:
                client.meta.events.register_first(
                    "before-send.cognito-idp",
                    self._before_read,
                    unique_id="read-faults",
                )
            return client

        monkeypatch.setattr(services, "cognito_client", cognito_client)

    def _before_read(self, request, event_name, **kwargs):
        respond = self.read_faults.get(event_name.rsplit(".", 1)[-1])
        return respond(request) if respond else None

    def deny_reads(self, operation: str = "ListUserPools"):
        self.read_faults[operation] = error_response(
            "AccessDeniedException",
            f"User is not authorized to perform: cognito-idp:{operation}",
        )

    def reads_unreachable(self, operation: str = "ListUserPools"):
        # One attempt: reads are retried, and each retry would back off.
        self.monkeypatch.setattr(aws_module, "READ_RETRIES", {"total_max_attempts": 1})

        def respond(request):
            raise EndpointConnectionError(endpoint_url=request.url)

        self.read_faults[operation] = respond

    def _before_send(self, request, **kwargs):
        self.sent += 1
        if self.create_first:
            self.aws.create_user_pool(**json.loads(request.body))
        return self.respond(request)

    def throttle(self):
        self.respond = error_response("ThrottlingException", "Rate exceeded")

    def deny(self):
        self.respond = error_response(
            "AccessDeniedException",
            "User is not authorized to perform: cognito-idp:CreateUserPool",
        )

    def server_error(self):
        self.respond = error_response(
            "InternalErrorException", "Internal error", status=500
        )

    def reject(self, message: str, code: str = "InvalidParameterException"):
        self.respond = error_response(code, message)

    def read_timeout(self, *, created: bool):
        self.create_first = created

        def respond(request):
            raise ReadTimeoutError(endpoint_url=request.url)

        self.respond = respond

    def endpoint_down(self):
        def respond(request):
            raise EndpointConnectionError(endpoint_url=request.url)

        self.respond = respond


@pytest.fixture
def faults(monkeypatch, aws):
    return Faults(monkeypatch, aws)
