"""Changes to AWS connections; the only code that decrypts their secrets.

Every change is audited inside its transaction, and no audit row, exception
message or log line carries a secret: audit data names the fields that
changed, never their values.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from poolconsole.audit.models import Outcome
from poolconsole.audit.services import audit_record
from poolconsole.core.exceptions import ApplicationError
from poolconsole.integrations import aws
from poolconsole.tenants.models import Tenant

from . import crypto
from .models import AuthMode, AwsConnection

SECRET_FIELDS = ("access_key_id", "secret_access_key", "session_token")


def _validation_error(exc: ValidationError) -> ApplicationError:
    """Return the first message of a model ValidationError as an ApplicationError."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return ApplicationError(
            " ".join(m for e in errors for m in e.messages),
            field=None if field == "__all__" else field,
        )
    return ApplicationError(" ".join(exc.messages))


def _save(connection: AwsConnection) -> None:
    """Validate and save connection, turning failures into ApplicationError."""
    if (
        AwsConnection.objects.filter(tenant=connection.tenant, name=connection.name)
        .exclude(pk=connection.pk)
        .exists()
    ):
        raise ApplicationError(
            "Another connection of this tenant has this name.", field="name"
        )
    try:
        connection.full_clean(exclude=["tenant", "created_by"])
    except ValidationError as exc:
        raise _validation_error(exc) from None
    try:
        with transaction.atomic():
            connection.save()
    except IntegrityError:
        raise ApplicationError(
            "Another connection of this tenant has this name.", field="name"
        ) from None


def _check_region(*, region: str, endpoint_url: str) -> None:
    if not endpoint_url and region not in aws.cognito_regions():
        raise ApplicationError(
            f"{region!r} is not a region where Cognito user pools are offered.",
            field="region",
        )


@sensitive_variables("access_key_id", "secret_access_key", "session_token")
def _set_keys(
    connection: AwsConnection,
    *,
    access_key_id: str,
    secret_access_key: str,
    session_token: str,
    clear_session_token: bool = False,
) -> list[str]:
    """Store the given secrets encrypted; blank ones keep the current value.

    Return the names of the secret fields that changed. A new access key id
    needs its secret; a new key pair replaces the session token (blank: none).
    """
    access_key_id = access_key_id.strip()
    secret_access_key = secret_access_key.strip()
    session_token = session_token.strip()
    changed = []
    if access_key_id and not secret_access_key:
        raise ApplicationError(
            "Enter the secret access key that goes with the new access key ID.",
            field="secret_access_key",
        )
    if access_key_id:
        connection.access_key_id_encrypted = crypto.encrypt(access_key_id)
        connection.access_key_id_last4 = access_key_id[-4:]
        changed.append("access_key_id")
        if not session_token and connection.session_token_encrypted:
            connection.session_token_encrypted = ""
            changed.append("session_token")
    if secret_access_key:
        connection.secret_access_key_encrypted = crypto.encrypt(secret_access_key)
        changed.append("secret_access_key")
    if session_token:
        connection.session_token_encrypted = crypto.encrypt(session_token)
        changed.append("session_token")
    elif clear_session_token and connection.session_token_encrypted:
        connection.session_token_encrypted = ""
        changed.append("session_token")
    return sorted(set(changed))


def _clear_keys(connection: AwsConnection) -> list[str]:
    """Drop every stored secret; return the names of those that were set."""
    changed = [
        field
        for field in SECRET_FIELDS
        if getattr(connection, f"{field}_encrypted", "")
    ]
    connection.access_key_id_encrypted = ""
    connection.access_key_id_last4 = ""
    connection.secret_access_key_encrypted = ""
    connection.session_token_encrypted = ""
    return changed


def _describe(connection: AwsConnection) -> dict:
    """Return the non-secret facts of connection for the audit trail."""
    return {
        "name": connection.name,
        "region": connection.region,
        "auth_mode": connection.auth_mode,
        "role_arn": connection.role_arn,
        "endpoint_url": connection.endpoint_url,
        "access_key_id_last4": connection.access_key_id_last4,
    }


@sensitive_variables("access_key_id", "secret_access_key", "session_token")
@transaction.atomic
def connection_create(
    *,
    tenant: Tenant,
    actor,
    name: str,
    region: str,
    auth_mode: str,
    role_arn: str = "",
    access_key_id: str = "",
    secret_access_key: str = "",
    session_token: str = "",
    endpoint_url: str = "",
    request=None,
) -> AwsConnection:
    """Create a connection of tenant with encrypted secrets, and audit it."""
    _check_region(region=region, endpoint_url=endpoint_url)
    connection = AwsConnection(
        tenant=tenant,
        name=name.strip(),
        region=region,
        auth_mode=auth_mode,
        role_arn=role_arn.strip() if auth_mode == AuthMode.ASSUME_ROLE else "",
        endpoint_url=endpoint_url.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if auth_mode == AuthMode.ACCESS_KEYS:
        _set_keys(
            connection,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            session_token=session_token,
        )
    _save(connection)
    audit_record(
        tenant=tenant,
        actor=actor,
        action="connection.created",
        target=connection,
        data=_describe(connection),
        request=request,
    )
    return connection


@sensitive_variables("access_key_id", "secret_access_key", "session_token")
@transaction.atomic
def connection_update(
    *,
    connection: AwsConnection,
    actor,
    name: str,
    region: str,
    auth_mode: str,
    role_arn: str = "",
    access_key_id: str = "",
    secret_access_key: str = "",
    session_token: str = "",
    clear_session_token: bool = False,
    endpoint_url: str = "",
    request=None,
) -> AwsConnection:
    """Change connection and audit which fields changed (never their values).

    A blank secret keeps the stored one. Switching to assume-role drops the
    stored keys, so no unused secret lingers.
    """
    connection = AwsConnection.objects.select_for_update().get(pk=connection.pk)
    if connection.is_archived:
        raise ApplicationError("An archived connection cannot be changed.")
    _check_region(region=region, endpoint_url=endpoint_url)
    before = _describe(connection)
    connection.name = name.strip()
    connection.region = region
    connection.auth_mode = auth_mode
    connection.role_arn = role_arn.strip() if auth_mode == AuthMode.ASSUME_ROLE else ""
    connection.endpoint_url = endpoint_url.strip()
    if auth_mode == AuthMode.ACCESS_KEYS:
        secrets_changed = _set_keys(
            connection,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            session_token=session_token,
            clear_session_token=clear_session_token,
        )
    else:
        secrets_changed = _clear_keys(connection)
    _save(connection)
    after = _describe(connection)
    changed = sorted({k for k in after if after[k] != before[k]} | set(secrets_changed))
    if changed:
        audit_record(
            tenant=connection.tenant,
            actor=actor,
            action="connection.updated",
            target=connection,
            data={"changed": changed, **after},
            request=request,
        )
    return connection


@transaction.atomic
def connection_archive(
    *, connection: AwsConnection, actor, request=None
) -> AwsConnection:
    """Archive connection: keep it for history, offer it for nothing new."""
    connection = AwsConnection.objects.select_for_update().get(pk=connection.pk)
    if connection.is_archived:
        return connection
    connection.archived_at = timezone.now()
    connection.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        tenant=connection.tenant,
        actor=actor,
        action="connection.archived",
        target=connection,
        data=_describe(connection),
        request=request,
    )
    return connection


def connection_in_use(*, connection: AwsConnection) -> bool:
    """Return whether any row (such as a pool) refers to connection.

    Every reverse foreign key is checked, so the pools app is covered the
    day its model points here, without this module importing it.
    """
    for relation in AwsConnection._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager
        if related.filter(**{relation.field.name: connection}).exists():
            return True
    return False


def connection_delete(*, connection: AwsConnection, actor, request=None) -> None:
    """Retire connection: always archived, never hard-deleted.

    History (pools, audit rows) keeps its meaning only if the connection it
    names still exists, so even an unused connection is archived.
    """
    connection_archive(connection=connection, actor=actor, request=request)


@sensitive_variables()
def connection_credentials(*, connection: AwsConnection) -> dict:
    """Return the boto3 Session keyword arguments of connection's stored keys.

    Empty for an assume-role connection. Raise ``EncryptionKeyError`` when a
    secret cannot be decrypted with the configured keys.
    """
    if connection.auth_mode != AuthMode.ACCESS_KEYS:
        return {}
    if not connection.has_access_keys:
        raise ApplicationError(
            "The connection has no access keys: edit it and enter them."
        )
    return {
        "aws_access_key_id": crypto.decrypt(connection.access_key_id_encrypted),
        "aws_secret_access_key": crypto.decrypt(connection.secret_access_key_encrypted),
        "aws_session_token": (
            crypto.decrypt(connection.session_token_encrypted)
            if connection.session_token_encrypted
            else None
        ),
    }


@dataclass(frozen=True)
class ConnectionTestResult:
    """The outcome of a connection test, safe to show to admins."""

    ok: bool
    message: str
    account: str = ""
    arn: str = ""
    kind: str = ""
    code: str = ""


def connection_test(
    *, connection: AwsConnection, actor, request=None
) -> ConnectionTestResult:
    """Call sts:GetCallerIdentity through the connection and record the result.

    The AWS call runs outside any transaction; the result and its audit event
    are saved together afterwards.
    """
    try:
        identity = aws.caller_identity(connection=connection, user=actor)
    except ApplicationError as exc:
        result = ConnectionTestResult(
            ok=False,
            message=exc.message,
            kind=getattr(exc, "kind", "encryption_key"),
            code=getattr(exc, "code", ""),
        )
    else:
        result = ConnectionTestResult(
            ok=True,
            message=f"Connected to account {identity['account']} as {identity['arn']}.",
            account=identity["account"],
            arn=identity["arn"],
        )
    with transaction.atomic():
        AwsConnection.objects.filter(pk=connection.pk).update(
            last_tested_at=timezone.now(),
            last_test_ok=result.ok,
            last_test_message=result.message[:500],
            updated_at=timezone.now(),
        )
        connection.refresh_from_db()
        audit_record(
            tenant=connection.tenant,
            actor=actor,
            action="connection.tested",
            target=connection,
            data={
                "ok": result.ok,
                "account": result.account,
                "arn": result.arn,
                "kind": result.kind,
                "code": result.code,
            },
            outcome=Outcome.SUCCESS if result.ok else Outcome.FAILURE,
            request=request,
        )
    return result


@transaction.atomic
def encryption_rotate(*, tenant: Tenant) -> int:
    """Re-encrypt tenant's secrets under the first key; audit; return the count."""
    count = 0
    for connection in AwsConnection.objects.select_for_update().filter(tenant=tenant):
        fields = []
        for field in SECRET_FIELDS:
            token = getattr(connection, f"{field}_encrypted")
            if token:
                setattr(connection, f"{field}_encrypted", crypto.rotate(token))
                fields.append(f"{field}_encrypted")
        if fields:
            connection.save(update_fields=fields)
            count += 1
    audit_record(
        tenant=tenant,
        action="encryption.rotated",
        target_type="tenant",
        target_id=tenant.pk,
        target_repr=str(tenant),
        data={"connections": count},
    )
    return count
