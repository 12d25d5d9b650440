"""Create user pools in AWS, reconcile unknown outcomes, refresh and import.

``pool_create`` works in three steps so that a rollback never orphans a real
pool:

1. one transaction records the attempt (pending) and its audit event, and
   commits before AWS is called;
2. ``CreateUserPool`` is called once, outside any transaction, with a client
   that never retries; the pool is tagged with the attempt's key;
3. a second transaction records the pool (or the error) and its audit event.

When the outcome of step 2 or 3 is unknown (a timeout, a 5xx, a dropped
connection, a database failure after AWS's success) nothing is retried
blindly: ``attempt_reconcile`` looks for the tagged pool and either records
it or marks the attempt failed, so the user may retry safely.
"""

import datetime
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db import connection as db_connection
from django.utils import timezone
from django_scopes import scopes_disabled

from poolconsole.audit.models import Outcome
from poolconsole.audit.services import audit_record
from poolconsole.core.exceptions import ApplicationError
from poolconsole.credentials.models import AwsConnection
from poolconsole.integrations.aws import AwsError, aws_error_from, cognito_client
from poolconsole.pools.models import PoolDraft
from poolconsole.pools.validation import (
    parse_aws_validation_message,
    schema_path_named_in,
)
from poolconsole.tenants.models import Tenant

from .models import (
    ATTEMPT_TAG,
    OPEN_STATUSES,
    AttemptStatus,
    CreateAttempt,
    PoolSource,
    UserPool,
)

logger = logging.getLogger(__name__)

LIST_PAGE_SIZE = 60  # the largest MaxResults ListUserPools accepts
# Errors after which the request may have reached AWS and created the pool.
UNKNOWN_OUTCOME_KINDS = frozenset({"timeout", "server_error", "unknown"})
# Failures that happen before a byte is sent: the pool cannot exist.
NEVER_SENT_ERRORS = frozenset({"EndpointConnectionError", "ConnectTimeoutError"})

UNKNOWN_MESSAGE = (
    "AWS did not say whether the pool was created. poolconsole will look for "
    "it (python manage.py reconcile_attempts) before anything is retried."
)
OPEN_ATTEMPT_MESSAGE = (
    "This design's last create is not settled: AWS may have created that pool. "
    "Look for it before creating the design again."
)
NOT_CREATED_MESSAGE = (
    "AWS did not answer, and poolconsole checked the account: no pool of this "
    "attempt exists. It is safe to try again."
)
# A request AWS received may still create the pool after the client gave up
# (its read timeout is 20 s). Not finding the pool proves nothing before this
# has passed since the attempt started: until then it stays unknown.
SETTLE_AFTER = datetime.timedelta(minutes=5)
NOT_YET_MESSAGE = (
    "AWS did not answer and the pool is not in the account yet, but AWS may "
    "still be creating it. Do not create it again: poolconsole looks again "
    "(python manage.py reconcile_attempts, or “Look for the pool now”) and "
    "can tell for sure from {time:%H:%M} UTC."
)

# Response key -> UserPool field, for the keys stored as they are.
RESPONSE_FIELDS: dict[str, tuple[str, Any]] = {
    "Id": ("pool_id", ""),
    "Name": ("name", ""),
    "Arn": ("arn", ""),
    "Status": ("status", ""),
    "CreationDate": ("creation_date", None),
    "LastModifiedDate": ("last_modified_date", None),
    "EstimatedNumberOfUsers": ("estimated_number_of_users", None),
    "Domain": ("domain", ""),
    "CustomDomain": ("custom_domain", ""),
    "DeletionProtection": ("deletion_protection", ""),
    "UserPoolTier": ("user_pool_tier", ""),
    "Policies": ("policies", dict),
    "LambdaConfig": ("lambda_config", dict),
    "SchemaAttributes": ("schema_attributes", list),
    "AutoVerifiedAttributes": ("auto_verified_attributes", list),
    "AliasAttributes": ("alias_attributes", list),
    "UsernameAttributes": ("username_attributes", list),
    "UsernameConfiguration": ("username_configuration", dict),
    "VerificationMessageTemplate": ("verification_message_template", dict),
    "AccountRecoverySetting": ("account_recovery_setting", dict),
    "UserAttributeUpdateSettings": ("user_attribute_update_settings", dict),
    "UserPoolAddOns": ("user_pool_add_ons", dict),
    "SmsVerificationMessage": ("sms_verification_message", ""),
    "EmailVerificationMessage": ("email_verification_message", ""),
    "EmailVerificationSubject": ("email_verification_subject", ""),
    "SmsAuthenticationMessage": ("sms_authentication_message", ""),
    "MfaConfiguration": ("mfa_configuration", ""),
    "DeviceConfiguration": ("device_configuration", dict),
    "EmailConfiguration": ("email_configuration", dict),
    "SmsConfiguration": ("sms_configuration", dict),
    "SmsConfigurationFailure": ("sms_configuration_failure", ""),
    "EmailConfigurationFailure": ("email_configuration_failure", ""),
    "AdminCreateUserConfig": ("admin_create_user_config", dict),
    "UserPoolTags": ("user_pool_tags", dict),
}
POOL_DATA_FIELDS = tuple(name for name, _ in RESPONSE_FIELDS.values()) + (
    "raw_response",
)


# Helpers -------------------------------------------------------------------


def _json_default(value: Any) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def jsonable(value: Any) -> Any:
    """Return value with datetimes as ISO strings, ready for a JSONField."""
    return json.loads(json.dumps(value, default=_json_default))


def _aware(value: Any) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    elif isinstance(value, int | float):
        value = datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def pool_fields_from(description: dict) -> dict[str, Any]:
    """Return the UserPool field values of a ``UserPoolType`` description."""
    values: dict[str, Any] = {}
    for key, (name, empty) in RESPONSE_FIELDS.items():
        value = description.get(key)
        if value is None:
            value = empty() if callable(empty) else empty
        elif name in ("creation_date", "last_modified_date"):
            value = _aware(value)
        elif isinstance(value, dict | list):
            value = jsonable(value)
        values[name] = value
    values["raw_response"] = jsonable(description)
    return values


def _is_aws_exception(exc: BaseException) -> bool:
    return isinstance(exc, AwsError) or type(exc).__module__.startswith(
        ("botocore", "urllib3")
    )


def _call(method: Callable, **kwargs) -> dict:
    """Call a client method; raise AwsError for every AWS or network failure."""
    try:
        return method(**kwargs)
    except Exception as exc:
        if not _is_aws_exception(exc):
            raise
        raise aws_error_from(exc) from exc


def _in_transaction() -> bool:
    """Return whether a transaction other than a test case's is open."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in db_connection.atomic_blocks
    ) or (db_connection.in_atomic_block and not db_connection.atomic_blocks)


def _audit_attempt_data(attempt: CreateAttempt, **extra) -> dict:
    return {
        "pool_name": attempt.pool_name,
        "attempt": attempt.pk,
        "idempotency_key": str(attempt.idempotency_key),
        "connection": attempt.connection_id,
        "draft_id": attempt.draft_id,
        **extra,
    }


# Create --------------------------------------------------------------------


def tagged_request(request: dict, idempotency_key: uuid.UUID | str) -> dict:
    """Return request with the ``poolconsole:attempt`` tag of idempotency_key.

    This is the exact request ``pool_create`` sends; the review page may
    show it.
    """
    tags = dict(request.get("UserPoolTags") or {})
    tags[ATTEMPT_TAG] = str(idempotency_key)
    return {**request, "UserPoolTags": tags}


class OpenAttemptError(ApplicationError):
    """A create from a draft whose earlier create is still open."""

    def __init__(self, attempt: CreateAttempt):
        super().__init__(OPEN_ATTEMPT_MESSAGE)
        self.attempt = attempt


def pool_create(
    *,
    tenant: Tenant,
    user,
    connection: AwsConnection,
    request: dict,
    idempotency_key: uuid.UUID | str,
    draft_id: int | None = None,
    http_request=None,
) -> CreateAttempt:
    """Create the pool request describes in connection's account, once.

    Return the attempt, whatever its outcome: ``succeeded`` (its ``pool``
    is set), ``failed`` (``error_*`` and ``field_errors`` say why; nothing
    exists in AWS), ``reconciled`` (the outcome was unknown and the pool was
    found) or ``unknown``. A second call with the same key returns the first
    call's attempt without calling AWS.
    """
    if _in_transaction():
        raise RuntimeError("pool_create calls AWS: run it outside any transaction.")
    try:
        key = uuid.UUID(str(idempotency_key))
    except ValueError:
        raise ApplicationError(
            "The review page was incomplete: open it again and resubmit."
        ) from None
    if connection.tenant_id != tenant.pk:
        raise ApplicationError("Choose one of this tenant's AWS connections.")
    if connection.is_archived:
        raise ApplicationError("This AWS connection is archived: choose another one.")
    if not isinstance(request, dict) or not request.get("PoolName"):
        raise ApplicationError("The request has no pool name.")

    attempt, created = _attempt_start(
        tenant=tenant,
        user=user,
        connection=connection,
        request=request,
        key=key,
        draft_id=draft_id,
        http_request=http_request,
    )
    if not created:
        return attempt
    return _attempt_run(attempt=attempt, user=user, http_request=http_request)


def _draft_check_settled(*, tenant: Tenant, draft_id: int, key: uuid.UUID) -> None:
    """Raise OpenAttemptError if an attempt of the draft is still open.

    The draft of an attempt whose outcome is unknown holds its design:
    creating it again could make a second pool. Run it in the transaction
    that records the new attempt: the draft's row lock makes two creates of
    one draft take turns. The same review page submitted again (its key) is
    not refused: it is the same attempt, which ``_attempt_start`` returns.
    """
    PoolDraft.objects.select_for_update().filter(tenant=tenant, pk=draft_id).exists()
    open_attempt = (
        CreateAttempt.objects.filter(
            tenant=tenant, draft_id=draft_id, status__in=OPEN_STATUSES
        )
        .exclude(idempotency_key=key)
        .order_by("-id")
        .first()
    )
    if open_attempt is not None:
        raise OpenAttemptError(open_attempt)


def attempt_draft_record(*, attempt: CreateAttempt, draft) -> None:
    """Record draft, where the attempt's design is kept, on the attempt.

    Its page then leads back to the draft once the outcome is known. The
    draft is the tenant's, as the attempt is.
    """
    if draft.tenant_id != attempt.tenant_id:
        raise ApplicationError("This draft belongs to another tenant.")
    if attempt.draft_id == draft.pk:
        return
    CreateAttempt.objects.filter(pk=attempt.pk, tenant_id=attempt.tenant_id).update(
        draft_id=draft.pk, updated_at=timezone.now()
    )
    attempt.draft_id = draft.pk


def _attempt_start(
    *, tenant, user, connection, request, key, draft_id, http_request
) -> tuple[CreateAttempt, bool]:
    """Record the attempt and its audit event; return (attempt, created)."""
    try:
        with transaction.atomic():
            if draft_id is not None:
                _draft_check_settled(tenant=tenant, draft_id=draft_id, key=key)
            attempt = CreateAttempt(
                tenant=tenant,
                connection=connection,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                idempotency_key=key,
                request=jsonable(request),
                draft_id=draft_id,
            )
            # The unique key is enforced by the database below, where two
            # concurrent submissions cannot both pass.
            attempt.full_clean(
                # The related rows are in hand: a query each to check they
                # exist would only slow the create (the database checks).
                exclude=["tenant", "connection", "created_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            attempt.save()
            audit_record(
                tenant=tenant,
                actor=user,
                action="pool.create.requested",
                target=attempt,
                data=_audit_attempt_data(attempt),
                outcome=Outcome.PENDING,
                request=http_request,
            )
    except IntegrityError:
        with scopes_disabled():
            existing = CreateAttempt.objects.select_related("pool").get(
                idempotency_key=key
            )
        if existing.tenant_id != tenant.pk:
            raise ApplicationError(
                "This review page was already submitted: open it again."
            ) from None
        return existing, False
    return attempt, True


def _attempt_run(*, attempt: CreateAttempt, user, http_request) -> CreateAttempt:
    """Call CreateUserPool once for attempt, then record what came back."""
    request = tagged_request(attempt.request, attempt.idempotency_key)
    try:
        client = cognito_client(
            connection=attempt.connection, user=user, for_create=True
        )
    except ApplicationError as exc:  # nothing was sent
        return _attempt_fail(
            attempt=attempt, error=exc, user=user, http_request=http_request
        )
    except Exception as exc:
        # Nothing was sent either; settle the attempt before the error
        # propagates, so it does not stay pending.
        _attempt_fail(
            attempt=attempt,
            error=aws_error_from(exc),
            user=user,
            http_request=http_request,
        )
        raise

    try:
        response = client.create_user_pool(**request)
    except Exception as exc:
        error = aws_error_from(exc)
        never_sent = type(exc).__name__ in NEVER_SENT_ERRORS
        if error.kind in UNKNOWN_OUTCOME_KINDS and not never_sent:
            logger.warning("CreateUserPool outcome unknown for attempt %s", attempt.pk)
            _attempt_mark_unknown(attempt=attempt, error=error)
            return attempt_reconcile(
                attempt=attempt, user=user, http_request=http_request
            )
        return _attempt_fail(
            attempt=attempt, error=error, user=user, http_request=http_request
        )

    try:
        return _attempt_succeed(
            attempt=attempt,
            description=response["UserPool"],
            user=user,
            http_request=http_request,
            new_pool=True,
        )
    except DatabaseError as exc:
        # The pool exists in AWS but not here: find it again by its tag.
        if isinstance(exc, IntegrityError):
            # Expected: an import saved the new pool first (the unique
            # connection and pool id). Not a failure, nothing to trace.
            logger.warning(
                "The pool of attempt %s was saved meanwhile (%s): reconciling",
                attempt.pk,
                exc,
            )
        else:
            logger.exception("Recording the pool of attempt %s failed", attempt.pk)
        try:
            _attempt_mark_unknown(
                attempt=attempt,
                error=ApplicationError(UNKNOWN_MESSAGE),
            )
        except DatabaseError:
            logger.exception("Marking attempt %s unknown failed", attempt.pk)
            return attempt
        return attempt_reconcile(attempt=attempt, user=user, http_request=http_request)


def _pool_locked(*, connection, pool_id: str) -> UserPool | None:
    """Return connection's pool of that Cognito id, locked, or None if unknown."""
    return (
        UserPool.objects.select_for_update()
        .filter(connection=connection, pool_id=pool_id)
        .first()
    )


def _pool_save(
    *,
    pool: UserPool | None,
    attempt: CreateAttempt | None,
    connection,
    description,
    user,
    source,
) -> tuple[UserPool, bool]:
    """Save the described pool of connection; return (pool, created).

    ``pool`` is its known row, locked (``_pool_locked``), or None to insert
    a new one. A concurrent writer that saved it meanwhile breaks the
    unique (connection, pool id) constraint: after a create, ``_attempt_run``
    then settles the attempt by reconciling.
    """
    values = pool_fields_from(description)
    created = pool is None
    if created:
        pool = UserPool(
            tenant_id=connection.tenant_id,
            connection=connection,
            region=connection.region,
            # An imported pool was created outside poolconsole, by nobody here.
            created_by=(
                user
                if source == PoolSource.CREATED
                and getattr(user, "is_authenticated", False)
                else None
            ),
            source=source,
        )
    for name, value in values.items():
        setattr(pool, name, value)
    if attempt is not None and pool.attempt_id is None:
        pool.attempt = attempt
    pool.deleted_upstream_at = None
    pool.last_refreshed_at = timezone.now()
    pool.full_clean(
        exclude=["tenant", "connection", "created_by", "attempt"],
        validate_unique=False,
        validate_constraints=False,
    )
    pool.save()
    return pool, created


def _attempt_succeed(
    *,
    attempt: CreateAttempt,
    description: dict,
    user,
    http_request,
    action="pool.create.succeeded",
    status=AttemptStatus.SUCCEEDED,
    new_pool: bool = False,
) -> CreateAttempt:
    """Record the pool AWS described for attempt, and the attempt's outcome.

    ``new_pool``: AWS has just created it, so no row can hold it yet and it
    is inserted without looking first (the query right after the AWS call
    was the create flow's slowest, issue 7).
    """
    with transaction.atomic():
        pool, _ = _pool_save(
            pool=(
                None
                if new_pool
                else _pool_locked(
                    connection=attempt.connection, pool_id=description.get("Id") or ""
                )
            ),
            attempt=attempt,
            connection=attempt.connection,
            description=description,
            user=attempt.created_by,
            source=PoolSource.CREATED,
        )
        attempt.status = status
        attempt.pool = pool
        attempt.finished_at = timezone.now()
        attempt.save(update_fields=["status", "pool", "finished_at", "updated_at"])
        audit_record(
            tenant=attempt.tenant,
            actor=user,
            action=action,
            target=pool,
            data=_audit_attempt_data(
                attempt, pool_id=pool.pool_id, arn=pool.arn, region=pool.region
            ),
            request=http_request,
        )
    return attempt


def _error_fields(error: ApplicationError) -> dict:
    return {
        "error_kind": getattr(error, "kind", ""),
        "error_code": getattr(error, "code", ""),
        "error_message": error.message,
    }


def _failure_audit_data(error: ApplicationError) -> dict:
    """Return what a failure event records of the error AWS (or poolconsole) gave."""
    return {
        "code": getattr(error, "code", ""),
        "kind": getattr(error, "kind", ""),
        "aws_message": getattr(error, "aws_message", ""),
        "message": error.message,
    }


def field_errors_of(error: ApplicationError, request=None) -> dict[str, str]:
    """Return {request path: message} of an InvalidParameterException.

    A message without a path that names a Schema attribute of request
    ("custom:score: ...") is given that entry's path, so the design page
    shows it at the attribute's row.
    """
    if getattr(error, "code", "") != "InvalidParameterException":
        return {}
    errors: dict[str, str] = {}
    for path, message in parse_aws_validation_message(error.aws_message):
        path = path or schema_path_named_in(message, request) or ""
        if path:
            errors.setdefault(path, message)
    return errors


def _attempt_fail(
    *,
    attempt: CreateAttempt,
    error: ApplicationError,
    user,
    http_request,
    reconciled=False,
) -> CreateAttempt:
    with transaction.atomic():
        for name, value in _error_fields(error).items():
            setattr(attempt, name, value)
        attempt.field_errors = field_errors_of(error, attempt.request)
        attempt.status = AttemptStatus.FAILED
        attempt.finished_at = timezone.now()
        attempt.save()
        audit_record(
            tenant=attempt.tenant,
            actor=user,
            action="pool.create.failed",
            target=attempt,
            data=_audit_attempt_data(
                attempt,
                code=attempt.error_code,
                kind=attempt.error_kind,
                aws_message=getattr(error, "aws_message", ""),
                field_errors=attempt.field_errors,
                reconciled=reconciled,
            ),
            outcome=Outcome.FAILURE,
            request=http_request,
        )
    return attempt


def _attempt_mark_unknown(*, attempt: CreateAttempt, error: ApplicationError) -> None:
    with transaction.atomic():
        for name, value in _error_fields(error).items():
            setattr(attempt, name, value)
        attempt.status = AttemptStatus.UNKNOWN
        attempt.save()


# Reconcile -----------------------------------------------------------------


def _list_pools(client) -> list[dict]:
    """Return every pool of the client's account and region (paginated)."""
    pools: list[dict] = []
    token = None
    while True:
        kwargs = {"MaxResults": LIST_PAGE_SIZE}
        if token:
            kwargs["NextToken"] = token
        page = _call(client.list_user_pools, **kwargs)
        pools.extend(page.get("UserPools") or [])
        token = page.get("NextToken")
        if not token:
            return pools


def _describe(client, pool_id: str) -> dict | None:
    """Return the description of pool_id, or None when it does not exist."""
    try:
        return _call(client.describe_user_pool, UserPoolId=pool_id)["UserPool"]
    except AwsError as exc:
        if exc.kind == "not_found":
            return None
        raise


def _find_tagged_pool(client, *, name: str, key: str) -> dict | None:
    for summary in _list_pools(client):
        if summary.get("Name") != name:
            continue
        description = _describe(client, summary["Id"])
        if (
            description
            and (description.get("UserPoolTags") or {}).get(ATTEMPT_TAG) == key
        ):
            return description
    return None


def attempt_reconcile(
    *, attempt: CreateAttempt, user=None, http_request=None
) -> CreateAttempt:
    """Settle an attempt whose outcome is unknown by looking for its pool.

    The pool carries the attempt's key in its ``poolconsole:attempt`` tag. If
    it is found it is recorded (``reconciled``); if the account answers and
    has no such pool ``SETTLE_AFTER`` after the attempt started, the attempt
    is ``failed`` and safe to retry (sooner, it stays ``unknown``: AWS may
    still be creating it). If AWS cannot be asked, the attempt stays as it
    is, for a later run, and ``reconcile_error`` (not stored) says why.
    """
    if attempt.status not in OPEN_STATUSES:
        return attempt
    try:
        client = cognito_client(connection=attempt.connection, user=user)
        found = _find_tagged_pool(
            client, name=attempt.pool_name, key=str(attempt.idempotency_key)
        )
    except ApplicationError as exc:
        logger.warning("Reconciling attempt %s failed: %s", attempt.pk, exc.message)
        if attempt.status == AttemptStatus.UNKNOWN and not attempt.error_message:
            attempt.error_message = UNKNOWN_MESSAGE
        # Not stored: why this look did not happen, for the page that asked.
        attempt.reconcile_error = exc.message
        return attempt

    with transaction.atomic():
        locked = CreateAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status not in OPEN_STATUSES:
            return locked  # another run settled it meanwhile
        if found is not None:
            return _attempt_succeed(
                attempt=locked,
                description=found,
                user=user,
                http_request=http_request,
                action="pool.create.reconciled",
                status=AttemptStatus.RECONCILED,
            )
        settles_at = locked.started_at + SETTLE_AFTER
        if timezone.now() < settles_at:
            locked.status = AttemptStatus.UNKNOWN
            locked.error_message = NOT_YET_MESSAGE.format(time=settles_at)
            locked.save(update_fields=["status", "error_message", "updated_at"])
            return locked
        error = ApplicationError(NOT_CREATED_MESSAGE)
        error.code = locked.error_code or "NotCreated"
        error.kind = locked.error_kind
        return _attempt_fail(
            attempt=locked,
            error=error,
            user=user,
            http_request=http_request,
            reconciled=True,
        )


def attempts_reconcile_open(*, older_than: datetime.timedelta) -> list[CreateAttempt]:
    """Reconcile every unknown attempt, and every pending one older than older_than.

    A younger pending attempt may still be waiting for AWS's answer.
    """
    cutoff = timezone.now() - older_than
    with scopes_disabled():
        attempts = list(
            CreateAttempt.objects.filter(status__in=OPEN_STATUSES)
            .select_related("connection", "tenant", "created_by")
            .order_by("started_at")
        )
        return [
            attempt_reconcile(attempt=attempt)
            for attempt in attempts
            if attempt.status == AttemptStatus.UNKNOWN or attempt.started_at < cutoff
        ]


# Refresh and import --------------------------------------------------------


@dataclass
class RefreshResult:
    """What a refresh found: the changed fields, or that the pool is gone."""

    pool: UserPool
    changed: list[str] = field(default_factory=list)
    deleted_upstream: bool = False


def pool_refresh(*, pool: UserPool, user, http_request=None) -> RefreshResult:
    """Describe pool again and store what changed; mark it gone if it is.

    Raise AwsError when AWS cannot be asked, after auditing
    ``pool.refresh.failed``.
    """
    try:
        client = cognito_client(connection=pool.connection, user=user)
        description = _describe(client, pool.pool_id)
    except ApplicationError as exc:
        with transaction.atomic():
            audit_record(
                tenant=pool.tenant,
                actor=user,
                action="pool.refresh.failed",
                target=pool,
                data={"pool_id": pool.pool_id, **_failure_audit_data(exc)},
                outcome=Outcome.FAILURE,
                request=http_request,
            )
        raise
    with transaction.atomic():
        locked = UserPool.objects.select_for_update().get(pk=pool.pk)
        if description is None:
            newly = locked.deleted_upstream_at is None
            if newly:
                locked.deleted_upstream_at = timezone.now()
            locked.last_refreshed_at = timezone.now()
            locked.save(
                update_fields=["deleted_upstream_at", "last_refreshed_at", "updated_at"]
            )
            audit_record(
                tenant=locked.tenant,
                actor=user,
                action="pool.refreshed",
                target=locked,
                data={
                    "pool_id": locked.pool_id,
                    "deleted_upstream": True,
                    "changed": [],
                },
                request=http_request,
            )
            return RefreshResult(pool=locked, deleted_upstream=True)
        locked, changed = _pool_store_refreshed(
            pool=locked,
            connection=locked.connection,
            description=description,
            user=user,
            http_request=http_request,
        )
    return RefreshResult(pool=locked, changed=changed)


def _pool_store_refreshed(
    *,
    pool: UserPool,
    connection: AwsConnection,
    description: dict,
    user,
    http_request,
    audit_unchanged: bool = True,
    **audit_data,
) -> tuple[UserPool, list[str]]:
    """Store description over known pool (locked) and audit ``pool.refreshed``.

    Return the pool and the names of the fields that changed. With
    audit_unchanged false, nothing is audited when nothing changed.
    """
    before = {name: getattr(pool, name) for name in POOL_DATA_FIELDS}
    came_back = pool.deleted_upstream_at is not None
    pool, _ = _pool_save(
        pool=pool,
        attempt=None,
        connection=connection,
        description=description,
        user=user,
        source=pool.source,
    )
    changed = sorted(
        name
        for name in POOL_DATA_FIELDS
        if name != "raw_response" and getattr(pool, name) != before[name]
    )
    if changed or came_back or audit_unchanged:
        audit_record(
            tenant=connection.tenant,
            actor=user,
            action="pool.refreshed",
            target=pool,
            data={
                "pool_id": pool.pool_id,
                "changed": changed,
                "deleted_upstream": False,
                "came_back": came_back,
                **audit_data,
            },
            request=http_request,
        )
    return pool, changed


@dataclass
class ImportResult:
    """The pools an import created and those it updated."""

    created: list[UserPool] = field(default_factory=list)
    updated: list[UserPool] = field(default_factory=list)


def pools_import(
    *, connection: AwsConnection, user=None, http_request=None
) -> ImportResult:
    """Record every pool of connection's account and region; update known ones.

    Importing twice creates no duplicates: a pool is known by its
    connection and id. A known pool that changed is audited as a refresh
    would audit it. Raise AwsError when AWS cannot be asked, after auditing
    ``pool.import.failed`` (the pools imported until then stay imported).
    """
    if connection.is_archived:
        raise ApplicationError("This AWS connection is archived.")
    result = ImportResult()
    try:
        client = cognito_client(connection=connection, user=user)
        for summary in _list_pools(client):
            description = _describe(client, summary["Id"])
            if description is None:
                continue  # deleted between the list and the describe
            pool, created = _pool_import(
                connection=connection,
                description=description,
                user=user,
                http_request=http_request,
            )
            (result.created if created else result.updated).append(pool)
    except ApplicationError as exc:
        _pools_import_fail(
            connection=connection,
            error=exc,
            result=result,
            user=user,
            http_request=http_request,
        )
        raise
    return result


def _pool_import(
    *, connection: AwsConnection, description: dict, user, http_request
) -> tuple[UserPool, bool]:
    """Record one described pool of connection and audit it; return (pool, created)."""
    with transaction.atomic():
        known = _pool_locked(connection=connection, pool_id=description.get("Id") or "")
        if known is not None:
            pool, _ = _pool_store_refreshed(
                pool=known,
                connection=connection,
                description=description,
                user=user,
                http_request=http_request,
                # An import touches every known pool: one that did not
                # change is not worth an event.
                audit_unchanged=False,
                via="import",
            )
            return pool, False
        pool, _ = _pool_save(
            pool=None,
            attempt=None,
            connection=connection,
            description=description,
            user=user,
            source=PoolSource.IMPORTED,
        )
        audit_record(
            tenant=connection.tenant,
            actor=user,
            action="pool.imported",
            target=pool,
            data={
                "pool_id": pool.pool_id,
                "connection": connection.pk,
                "region": pool.region,
            },
            request=http_request,
        )
    return pool, True


def _pools_import_fail(
    *,
    connection: AwsConnection,
    error: ApplicationError,
    result: ImportResult,
    user,
    http_request,
) -> None:
    """Audit an import AWS stopped, with what it had imported until then."""
    with transaction.atomic():
        audit_record(
            tenant=connection.tenant,
            actor=user,
            action="pool.import.failed",
            target=connection,
            data={
                "connection": connection.pk,
                "region": connection.region,
                **_failure_audit_data(error),
                "created": len(result.created),
                "updated": len(result.updated),
            },
            outcome=Outcome.FAILURE,
            request=http_request,
        )
