"""The one place that talks to AWS: sessions, clients and error mapping.

No other module of poolconsole imports boto3 or botocore. Clients are built
from an ``AwsConnection`` when first asked for (never at import time), with
explicit timeouts, a user agent naming poolconsole, and an explicit retry
policy:

* read-only clients retry in botocore's ``standard`` mode (3 attempts);
* the client that calls ``CreateUserPool`` never retries
  (``total_max_attempts=1``): the call has no client token and pool names are
  not unique, so a retry after a timeout or a 5xx could create a second pool.
  https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html

A client is only built for AWS's own endpoints or a custom endpoint URL the
operator lists in ``POOLCONSOLE_ENDPOINT_URLS`` (``check_endpoint``).
"""

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from functools import cache
from urllib.parse import urlsplit

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    HTTPClientError,
    InvalidRegionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ReadTimeoutError,
    UnknownRegionError,
)
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

import poolconsole
from poolconsole.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 20
# botocore counts `max_attempts` as retries (3 would mean 4 requests);
# `total_max_attempts` counts requests: 3 is standard mode's own default.
READ_RETRIES = {"mode": "standard", "total_max_attempts": 3}
CREATE_RETRIES = {"total_max_attempts": 1}
ASSUME_ROLE_SECONDS = 900

KINDS = (
    "invalid_credentials",
    "expired_token",
    "access_denied",
    "throttled",
    "invalid_parameter",
    "limit_exceeded",
    "not_found",
    "invalid_sms_role",
    "endpoint_unreachable",
    "endpoint_not_allowed",
    "timeout",
    "unknown_region",
    "server_error",
    "unknown",
)

_CODE_KINDS = {
    "invalid_credentials": {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "InvalidSignatureException",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "AuthFailure",
    },
    "expired_token": {
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "TokenRefreshRequired",
    },
    "access_denied": {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "NotAuthorizedException",
    },
    "throttled": {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
    },
    "invalid_parameter": {
        "InvalidParameterException",
        "InvalidParameterValue",
        "InvalidParameterCombination",
        "ValidationError",
        "ValidationException",
        "MalformedPolicyDocument",
        "InvalidIdentityToken",
    },
    "limit_exceeded": {"LimitExceededException", "ServiceQuotaExceededException"},
    "not_found": {"ResourceNotFoundException", "NoSuchEntity", "NotFound"},
    "invalid_sms_role": {
        "InvalidSmsRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException",
    },
    "unknown_region": {"RegionDisabledException", "InvalidRegion"},
    "server_error": {
        "InternalErrorException",
        "InternalFailure",
        "InternalError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    },
}
CODE_KIND = {code: kind for kind, codes in _CODE_KINDS.items() for code in codes}

MESSAGES = {
    "invalid_credentials": (
        "AWS does not recognise these credentials: check the access key ID and "
        "secret access key (an IAM user's key may have been deleted or "
        "deactivated), then save them again."
    ),
    "expired_token": (
        "The credentials have expired: temporary keys need a fresh access key, "
        "secret and session token, or switch the connection to assume a role."
    ),
    "access_denied": (
        "AWS denied the request: the credentials are valid, but their IAM policy "
        "does not allow this action. Add the permission and try again."
    ),
    "throttled": "AWS is throttling requests: wait a minute and try again.",
    "invalid_parameter": "AWS rejected a value of the request: correct it and retry.",
    "limit_exceeded": (
        "An AWS quota of the account is reached: remove unused resources or ask "
        "AWS for a higher quota."
    ),
    "not_found": "AWS did not find the resource: it may have been deleted.",
    "invalid_sms_role": (
        "Cognito cannot use the SMS role: check that its trust policy allows "
        "cognito-idp.amazonaws.com with the external ID, and that it may publish "
        "to SNS."
    ),
    "endpoint_unreachable": (
        "poolconsole cannot reach the AWS endpoint: check the endpoint URL (is "
        "the emulator running?) and the network."
    ),
    "endpoint_not_allowed": (
        "The connection's endpoint URL is not one poolconsole may use: its "
        "operator must list it in POOLCONSOLE_ENDPOINT_URLS. Edit the "
        "connection and leave the endpoint URL blank for AWS."
    ),
    "timeout": (
        "AWS did not answer in time: check the network and try again. For a "
        "create, check the account first: the resource may exist."
    ),
    "unknown_region": (
        "The region is unknown or not enabled for this account: pick another "
        "region or enable it in the AWS account."
    ),
    "server_error": "AWS had an internal error: try again in a few minutes.",
    "unknown": "The AWS request failed unexpectedly: see the AWS error below.",
}


BASE_CREDENTIALS_MESSAGE = (
    "poolconsole's own AWS credentials, which it uses to assume the role, are "
    "missing, invalid or expired: give poolconsole's server credentials through "
    "boto3's standard chain (environment variables, AWS_PROFILE or an instance "
    "role)."
)


class AwsError(ApplicationError):
    """An AWS call failed; ``kind`` classifies it, ``code`` is AWS's own."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        code: str = "",
        aws_message: str = "",
        status: int | None = None,
    ):
        detail = f" ({code}: {aws_message})" if code and aws_message else ""
        super().__init__(
            f"{message}{detail}",
            extra={"kind": kind, "code": code, "aws_message": aws_message},
        )
        self.kind = kind
        self.code = code
        self.aws_message = aws_message
        self.status = status


def aws_error_from(exc: BaseException, *, hint: str = "") -> AwsError:
    """Return an AwsError classifying exc, a botocore exception.

    ``hint`` is appended to the user-facing message (e.g. the external ID
    of a role that could not be assumed).
    """
    if isinstance(exc, AwsError):
        return exc
    code, aws_message, status = "", "", None
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        aws_message = str(error.get("Message", ""))[:400]
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        kind = CODE_KIND.get(code)
        if kind is None:
            kind = "server_error" if (status or 0) >= 500 else "unknown"
    elif isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        kind = "timeout"
    elif isinstance(
        exc, EndpointConnectionError | ConnectionClosedError | HTTPClientError
    ):
        kind = "endpoint_unreachable"
    elif isinstance(
        exc,
        NoCredentialsError | PartialCredentialsError | CredentialRetrievalError,
    ):
        kind = "invalid_credentials"
        aws_message = str(exc)
        code = type(exc).__name__
    elif isinstance(exc, NoRegionError | InvalidRegionError | UnknownRegionError):
        kind = "unknown_region"
    elif isinstance(exc, ParamValidationError):
        kind = "invalid_parameter"
        aws_message = str(exc)[:400]
        code = type(exc).__name__
    else:
        kind = "unknown"
        code = type(exc).__name__
    message = MESSAGES[kind]
    if hint:
        message = f"{message} {hint}"
    return AwsError(
        message, kind=kind, code=code, aws_message=aws_message, status=status
    )


@cache
def _data_loader() -> botocore.loaders.Loader:
    """Return the process's one loader of botocore's JSON data (models,
    endpoints), which caches what it has read."""
    return botocore.loaders.create_loader()


_local = threading.local()


def _session() -> boto3.Session:
    """Return this thread's boto3 Session, which holds no tenant's credentials.

    Clients get the connection's credentials explicitly (``_client``). Making
    a Session per call cost 55 ms of each create (its own loader re-parsed
    the service models) and then 7 ms (botocore registers ~1,300 handlers):
    measured by make bench. Sessions are not thread-safe: one per thread.
    """
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = boto3.Session(botocore_session=_core())
    return session


def _core() -> botocore.session.Session:
    """Return this thread's botocore session, reading the shared loader."""
    core = getattr(_local, "core", None)
    if core is None:
        core = _local.core = _new_core()
    return core


def _new_core() -> botocore.session.Session:
    core = botocore.session.get_session()
    core.register_component("data_loader", _data_loader())
    return core


@cache
def cognito_regions() -> tuple[str, ...]:
    """Return the regions where botocore knows an endpoint of Cognito user pools."""
    return tuple(_session().get_available_regions("cognito-idp"))


def service_model(service_name: str):
    """Return botocore's model of service_name (shapes, constraints), offline."""
    return _core().get_service_model(service_name)


def client_config(*, for_create: bool = False) -> Config:
    """Return the botocore Config of poolconsole's clients."""
    return Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        user_agent_extra=f"poolconsole/{poolconsole.__version__}",
        retries=dict(CREATE_RETRIES if for_create else READ_RETRIES),
    )


def _guard_botocore_logging() -> None:
    """Keep botocore's logger above DEBUG: it logs signed headers there.

    At DEBUG botocore logs every request with its headers, among them
    ``X-Amz-Security-Token``; settings keep it at WARNING, and this refuses
    a configuration that lowered it.
    """
    botocore_logger = logging.getLogger("botocore")
    if botocore_logger.getEffectiveLevel() < logging.INFO:
        botocore_logger.setLevel(logging.WARNING)
        logger.warning("Raised the botocore logger to WARNING: DEBUG logs secrets.")


def normalised_endpoint_url(url: str) -> str:
    """Return url in the form endpoint URLs are compared, or "" if it matches none.

    Scheme and host are lower-cased, the default port made explicit and a
    trailing slash dropped: ``http://LocalHost/`` is ``http://localhost:80``.
    A URL that is not plain ASCII http(s), or has a user, query or fragment,
    matches nothing.
    """
    url = url.strip()
    if not url.isascii():
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number
        return ""
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if (
        scheme not in ("http", "https")
        or not host
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
    ):
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port is None:
        port = 443 if scheme == "https" else 80
    return f"{scheme}://{host}:{port}{parts.path.rstrip('/')}"


def endpoint_url_allowed(url: str) -> bool:
    """Return whether poolconsole may send requests to the endpoint url.

    Blank means AWS's own endpoints. Any other URL (an emulator such as
    moto or LocalStack) must be listed in ``POOLCONSOLE_ENDPOINT_URLS``:
    requests carry credentials, poolconsole's own when it assumes a role, and
    an error's text is shown to the admin.
    """
    if not url.strip():
        return True
    normalised = normalised_endpoint_url(url)
    allowed = {normalised_endpoint_url(u) for u in settings.POOLCONSOLE_ENDPOINT_URLS}
    return bool(normalised) and normalised in allowed


def check_endpoint(connection) -> None:
    """Raise AwsError, before any request, if the connection's endpoint is unlisted.

    A connection saved before the operator changed ``POOLCONSOLE_ENDPOINT_URLS``
    stops working against an endpoint no longer listed.
    """
    if not endpoint_url_allowed(connection.endpoint_url or ""):
        raise AwsError(
            MESSAGES["endpoint_not_allowed"],
            kind="endpoint_not_allowed",
            code="EndpointNotAllowed",
        )


@sensitive_variables("credentials")
def _client(service_name: str, *, connection, credentials: dict, config):
    """Return a client for service_name at the connection's endpoint.

    credentials are ``aws_access_key_id``, ``aws_secret_access_key`` and
    ``aws_session_token``; none means poolconsole's own (boto3's chain).
    Raise AwsError if the endpoint is not allowed (``check_endpoint``).
    """
    check_endpoint(connection)
    _guard_botocore_logging()
    # poolconsole's own credentials are looked up afresh each time (the
    # environment, a profile, the instance role), as a new session does.
    session = _session() if credentials else boto3.Session(botocore_session=_new_core())
    return session.client(
        service_name,
        region_name=connection.region,
        endpoint_url=connection.endpoint_url or None,
        config=config,
        **credentials,
    )


def role_session_name(user=None) -> str:
    """Return the RoleSessionName that names the poolconsole user in CloudTrail."""
    username = user.get_username() if getattr(user, "is_authenticated", False) else ""
    name = re.sub(r"[^\w+=,.@-]", "-", username or "system")
    return f"poolconsole-{name}"[:64]


@sensitive_variables("credentials", "assumed")
def credentials_for(*, connection, user=None) -> dict:
    """Return the credentials of a client acting in the connection's account.

    Access-key connections use their decrypted keys. Assume-role
    connections call ``sts:AssumeRole`` with poolconsole's own credentials
    (boto3's standard chain), the connection's external ID and a session
    name naming user. Raise ``AwsError`` before any AWS call when the
    endpoint URL is not allowed (``check_endpoint``), ``EncryptionKeyError``
    when a secret cannot be decrypted, and ``AwsError`` when the role cannot
    be assumed.
    """
    # Imported here: the services import this module for connection tests.
    from poolconsole.credentials.models import AuthMode
    from poolconsole.credentials.services import connection_credentials

    check_endpoint(connection)
    if not connection.endpoint_url and connection.region not in cognito_regions():
        raise AwsError(
            MESSAGES["unknown_region"], kind="unknown_region", code="UnknownRegion"
        )
    if connection.auth_mode != AuthMode.ASSUME_ROLE:
        return connection_credentials(connection=connection)

    sts = _client("sts", connection=connection, credentials={}, config=client_config())
    try:
        assumed = sts.assume_role(
            RoleArn=connection.role_arn,
            RoleSessionName=role_session_name(user),
            ExternalId=connection.external_id,
            DurationSeconds=ASSUME_ROLE_SECONDS,
        )["Credentials"]
    except Exception as exc:
        if not _is_botocore_error(exc):
            raise
        error = aws_error_from(exc)
        if error.kind == "access_denied":
            error = aws_error_from(exc, hint=assume_role_hint(connection))
        elif error.kind in ("invalid_credentials", "expired_token"):
            # The rejected credentials are poolconsole's own, not the tenant's.
            error = AwsError(
                BASE_CREDENTIALS_MESSAGE,
                kind=error.kind,
                code=error.code,
                aws_message=error.aws_message,
                status=error.status,
            )
        raise error from exc
    return {
        "aws_access_key_id": assumed["AccessKeyId"],
        "aws_secret_access_key": assumed["SecretAccessKey"],
        "aws_session_token": assumed["SessionToken"],
    }


def assume_role_hint(connection) -> str:
    """Return what to check when poolconsole cannot assume the connection's role.

    The message is stored with the attempt and audited, where every member
    reads it: it names where the external ID is, never the ID itself, which
    only admins see (on the connection's page).
    """
    return (
        f"poolconsole could not assume the role {connection.role_arn}: its trust "
        "policy must allow poolconsole's AWS account to call sts:AssumeRole with "
        "the condition sts:ExternalId set to this connection's external ID "
        "(an admin finds it, and the whole policy, on the connection's page)."
    )


def _is_botocore_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("botocore")


# Cognito clients of access-key connections, kept across requests. Building
# a client costs ~3 ms (botocore copies ~1,300 event handlers: make bench),
# and a kept client reuses its open HTTPS connection to AWS instead of a new
# TLS handshake per request. The key holds a digest of the keys, never the
# keys, so rotated keys get a new client. Assumed-role credentials are new
# on every call: those clients are not kept. boto3's clients are thread-safe.
CLIENTS_KEPT = 16
_kept_clients: OrderedDict = OrderedDict()
_kept_clients_lock = threading.Lock()


def forget_clients() -> None:
    """Drop the kept clients (tests start each from none)."""
    with _kept_clients_lock:
        _kept_clients.clear()


@sensitive_variables("credentials")
def _credentials_digest(credentials: dict) -> str:
    keys = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
    joined = "\0".join(credentials.get(key) or "" for key in keys)
    return hashlib.sha256(joined.encode()).hexdigest()


@sensitive_variables("credentials")
def cognito_client(*, connection, user=None, for_create: bool = False):
    """Return a Cognito user pools client of the connection.

    With ``for_create`` the client never retries: use it for
    ``create_user_pool`` and nothing else.
    """
    from poolconsole.credentials.models import AuthMode

    credentials = credentials_for(connection=connection, user=user)

    def build():
        return _client(
            "cognito-idp",
            connection=connection,
            credentials=credentials,
            config=client_config(for_create=for_create),
        )

    if connection.auth_mode != AuthMode.ACCESS_KEYS:
        return build()
    key = (
        connection.region,
        connection.endpoint_url,
        for_create,
        _credentials_digest(credentials),
    )
    with _kept_clients_lock:
        client = _kept_clients.get(key)
        if client is not None:
            _kept_clients.move_to_end(key)
    if client is not None:
        _guard_botocore_logging()
        return client
    client = build()
    with _kept_clients_lock:
        _kept_clients[key] = client
        while len(_kept_clients) > CLIENTS_KEPT:
            _kept_clients.popitem(last=False)
    return client


def sts_client(*, connection, user=None):
    """Return an STS client acting with the connection's credentials."""
    return _client(
        "sts",
        connection=connection,
        credentials=credentials_for(connection=connection, user=user),
        config=client_config(),
    )


def caller_identity(*, connection, user=None) -> dict:
    """Return the account id and ARN the connection acts as, or raise AwsError."""
    client = sts_client(connection=connection, user=user)
    try:
        identity = client.get_caller_identity()
    except Exception as exc:
        if not _is_botocore_error(exc):
            raise
        raise aws_error_from(exc) from exc
    return {"account": identity["Account"], "arn": identity["Arn"]}
