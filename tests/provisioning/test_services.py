"""pool_create, reconcile, refresh and import against moto, with faults."""

import datetime
import logging
import uuid

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.utils import timezone

from poolconsole.audit.models import AuditEvent, Outcome
from poolconsole.core.exceptions import ApplicationError
from poolconsole.integrations.aws import AwsError
from poolconsole.provisioning import services
from poolconsole.provisioning.models import (
    ATTEMPT_TAG,
    AttemptStatus,
    CreateAttempt,
    UserPool,
)
from tests.credentials.factories import AssumeRoleConnectionFactory
from tests.integrations.fakes import Hooks, sts_error

from .conftest import error_response, pool_count
from .factories import UserPoolFactory

REQUEST = {
    "PoolName": "customers",
    "Policies": {"PasswordPolicy": {"MinimumLength": 10, "RequireNumbers": True}},
    "AutoVerifiedAttributes": ["email"],
    "AliasAttributes": ["email"],
    "MfaConfiguration": "OFF",
    "EmailVerificationSubject": "Your code",
    "EmailVerificationMessage": "Your code is {####}",
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
    "UserPoolTags": {"team": "identity"},
}
SCHEMA_REQUEST = {
    **REQUEST,
    "Schema": [
        {"Name": "email", "AttributeDataType": "String", "Required": True},
        {"Name": "tier", "AttributeDataType": "String", "Mutable": True},
    ],
}


def create(tenant, user, connection, request=REQUEST, key=None, **kwargs):
    return services.pool_create(
        tenant=tenant,
        user=user,
        connection=connection,
        request=request,
        idempotency_key=key or uuid.uuid4(),
        **kwargs,
    )


def actions(tenant):
    return list(
        AuditEvent.objects.filter(tenant=tenant)
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_pool_create_saves_the_pool_in_full(tenant, user, connection, aws):
    attempt = create(tenant, user, connection, draft_id=7)

    assert attempt.status == AttemptStatus.SUCCEEDED
    pool = UserPool.objects.get()
    assert attempt.pool == pool and pool.attempt == attempt
    described = aws.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    assert pool.pool_id == described["Id"]
    assert pool.arn == described["Arn"]
    assert pool.name == "customers"
    assert pool.region == "us-east-1"
    assert pool.creation_date == described["CreationDate"]
    assert isinstance(pool.last_modified_date, datetime.datetime)
    assert pool.policies["PasswordPolicy"]["MinimumLength"] == 10
    assert pool.auto_verified_attributes == ["email"]
    assert pool.alias_attributes == ["email"]
    assert pool.email_verification_subject == "Your code"
    assert pool.admin_create_user_config["AllowAdminCreateUserOnly"] is True
    assert pool.mfa_configuration == "OFF"
    assert pool.user_pool_tags == {
        "team": "identity",
        ATTEMPT_TAG: str(attempt.idempotency_key),
    }
    # Cognito adds the standard attributes to a pool designed without them.
    names = {a["Name"] for a in pool.schema_attributes}
    assert {"sub", "email", "phone_number", "updated_at"} <= names
    assert {a["Name"] for a in described["SchemaAttributes"]} == names
    assert pool.raw_response["Id"] == pool.pool_id
    assert isinstance(pool.raw_response["CreationDate"], str)
    assert pool.created_by == user
    assert attempt.draft_id == 7
    assert attempt.finished_at is not None
    assert actions(tenant) == ["pool.create.requested", "pool.create.succeeded"]
    succeeded = AuditEvent.objects.get(action="pool.create.succeeded")
    assert succeeded.target_type == "userpool"
    assert succeeded.target_id == str(pool.pk)
    assert pool_count(aws) == 1


@pytest.mark.django_db
def test_pool_create_keeps_custom_attributes(tenant, user, connection, aws):
    create(tenant, user, connection, request=SCHEMA_REQUEST)
    pool = UserPool.objects.get()
    assert [a["Name"] for a in pool.custom_attributes] == ["custom:tier"]


@pytest.mark.django_db
def test_pool_create_commits_the_attempt_before_calling_aws(
    tenant, user, connection, faults
):
    seen = {}

    def respond(request):
        seen["attempt"] = CreateAttempt.objects.get()
        seen["actions"] = actions(tenant)
        raise AssertionError("stop")

    faults.respond = respond
    create(tenant, user, connection)
    assert seen["attempt"].status == AttemptStatus.PENDING
    assert seen["actions"] == ["pool.create.requested"]


@pytest.mark.django_db
def test_pool_create_refuses_to_run_inside_a_transaction(tenant, user, connection):
    with transaction.atomic(), pytest.raises(RuntimeError):
        create(tenant, user, connection)
    assert not CreateAttempt.objects.exists()


@pytest.mark.django_db
def test_same_idempotency_key_twice_gives_one_attempt_and_one_pool(
    tenant, user, connection, aws
):
    key = uuid.uuid4()
    first = create(tenant, user, connection, key=key)
    second = create(tenant, user, connection, key=str(key))
    assert first.pk == second.pk
    assert second.status == AttemptStatus.SUCCEEDED
    assert CreateAttempt.objects.count() == 1
    assert UserPool.objects.count() == 1
    assert pool_count(aws) == 1


@pytest.mark.django_db
def test_another_tenants_key_is_refused(tenant, other_tenant, user, connection, aws):
    from tests.credentials.factories import AwsConnectionFactory

    key = uuid.uuid4()
    create(tenant, user, connection, key=key)
    theirs = AwsConnectionFactory(tenant=other_tenant)
    with pytest.raises(ApplicationError):
        create(other_tenant, user, theirs, key=key)
    assert pool_count(aws) == 1


@pytest.mark.django_db
def test_another_tenants_connection_is_refused(tenant, other_tenant, user, aws):
    from tests.credentials.factories import AwsConnectionFactory

    theirs = AwsConnectionFactory(tenant=other_tenant)
    with pytest.raises(ApplicationError):
        create(tenant, user, theirs)
    assert not CreateAttempt.objects.exists()


# Faults ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "inject,code,kind,words",
    [
        ("throttle", "ThrottlingException", "throttled", "wait a minute"),
        ("deny", "AccessDeniedException", "access_denied", "IAM policy"),
    ],
)
def test_pool_create_records_an_aws_refusal(
    tenant, user, connection, aws, faults, inject, code, kind, words
):
    getattr(faults, inject)()
    attempt = create(tenant, user, connection)

    assert attempt.status == AttemptStatus.FAILED
    assert attempt.error_code == code
    assert attempt.error_kind == kind
    assert words in attempt.error_message
    assert attempt.pool is None
    assert faults.sent == 1
    assert pool_count(aws) == 0
    assert actions(tenant) == ["pool.create.requested", "pool.create.failed"]
    failed = AuditEvent.objects.get(action="pool.create.failed")
    assert failed.data["code"] == code
    assert failed.outcome == "failure"


@pytest.mark.django_db
def test_a_denied_assume_role_keeps_the_external_id_out_of_what_members_read(
    tenant, user, aws_env, monkeypatch
):
    # Every member reads the attempt and the audit; only admins see the ID.
    connection = AssumeRoleConnectionFactory(tenant=tenant)
    Hooks(monkeypatch).respond = sts_error("AccessDenied", "not authorized", 403)
    attempt = create(tenant, user, connection)

    assert attempt.status == AttemptStatus.FAILED
    assert attempt.error_kind == "access_denied"
    assert "sts:ExternalId" in attempt.error_message
    stored = [attempt.error_message, str(attempt.field_errors)] + [
        str(event.data) for event in AuditEvent.objects.filter(tenant=tenant)
    ]
    assert len(stored) >= 3
    assert not [text for text in stored if connection.external_id in text]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "message,paths",
    [
        ("custom:tier: String attributes cannot have number constraints", ["Schema.1"]),
        (
            "user.tier: String attributes cannot have a length of more than 2048",
            ["Schema.1"],
        ),
        ("Invalid MinValue for schema attribute tier", ["Schema.1"]),
        # moto names a custom attribute with its prefix.
        ("user.custom:tier: Max length cannot be less than min length.", ["Schema.1"]),
        (
            "Invalid StringAttributeConstraints for schema attribute custom:tier",
            ["Schema.1"],
        ),
        ("dev:custom:tier: ends a sentence at custom:tier.", ["Schema.1"]),
        ("custom:other: not in this request", []),
        ("Something about the whole request", []),
    ],
)
def test_pool_create_maps_an_error_naming_an_attribute_to_its_row(
    tenant, user, connection, aws, faults, message, paths
):
    faults.reject(message)
    attempt = create(tenant, user, connection, request=SCHEMA_REQUEST)
    assert attempt.status == AttemptStatus.FAILED
    assert list(attempt.field_errors) == paths
    assert message in attempt.error_message or not paths


@pytest.mark.django_db
def test_pool_create_maps_an_invalid_schema_row_to_its_field(
    tenant, user, connection, aws, faults
):
    faults.reject(
        "1 validation error detected: Value 'bad name!' at "
        "'schema.2.member.name' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
    )
    attempt = create(tenant, user, connection, request=SCHEMA_REQUEST)

    assert attempt.status == AttemptStatus.FAILED
    assert attempt.error_code == "InvalidParameterException"
    assert list(attempt.field_errors) == ["Schema.1.Name"]
    assert "regular expression" in attempt.field_errors["Schema.1.Name"]
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_pool_create_error_mapping_with_a_schema_moto_rejects(
    tenant, user, connection, aws
):
    request = {
        **REQUEST,
        "Schema": [{"Name": "tier", "AttributeDataType": "String", "Required": True}],
    }
    attempt = create(tenant, user, connection, request=request)
    assert attempt.status == AttemptStatus.FAILED
    assert attempt.error_code == "InvalidParameterException"
    assert attempt.error_kind == "invalid_parameter"
    assert pool_count(aws) == 0


def settle(attempt):
    """Move attempt's start back past SETTLE_AFTER, as if minutes had passed."""
    CreateAttempt.objects.filter(pk=attempt.pk).update(
        started_at=attempt.started_at - services.SETTLE_AFTER
    )
    attempt.refresh_from_db()
    return attempt


@pytest.mark.django_db
def test_pool_create_500_without_a_pool_is_unknown_then_failed_and_safe_to_retry(
    tenant, user, connection, aws, faults
):
    faults.server_error()
    attempt = create(tenant, user, connection)

    # AWS may still be creating it: not finding it yet proves nothing.
    assert attempt.status == AttemptStatus.UNKNOWN
    assert attempt.error_code == "InternalErrorException"
    assert "Do not create it again" in attempt.error_message
    assert actions(tenant) == ["pool.create.requested"]

    attempt = services.attempt_reconcile(attempt=settle(attempt), user=user)
    assert attempt.status == AttemptStatus.FAILED
    assert "safe to try again" in attempt.error_message
    assert faults.sent == 1
    assert pool_count(aws) == 0
    failed = AuditEvent.objects.get(action="pool.create.failed")
    assert failed.data["reconciled"] is True


@pytest.mark.django_db
def test_a_pool_that_lands_after_the_timeout_is_found_not_duplicated(
    tenant, user, connection, aws, faults
):
    faults.read_timeout(created=False)
    attempt = create(tenant, user, connection)
    assert attempt.status == AttemptStatus.UNKNOWN

    # AWS finishes the request the client gave up on.
    aws.create_user_pool(
        PoolName=attempt.pool_name,
        UserPoolTags={ATTEMPT_TAG: str(attempt.idempotency_key)},
    )
    attempt = services.attempt_reconcile(attempt=settle(attempt), user=user)
    assert attempt.status == AttemptStatus.RECONCILED
    assert pool_count(aws) == 1
    assert UserPool.objects.get() == attempt.pool


@pytest.mark.django_db
def test_pool_create_500_after_the_pool_was_created_is_reconciled(
    tenant, user, connection, aws, faults
):
    faults.server_error()
    faults.create_first = True
    attempt = create(tenant, user, connection)
    assert attempt.status == AttemptStatus.RECONCILED
    assert pool_count(aws) == 1
    assert UserPool.objects.get().pool_id == attempt.pool.pool_id


@pytest.mark.django_db
def test_read_timeout_after_the_pool_was_created_is_reconciled(
    tenant, user, connection, aws, faults
):
    # Another pool of the same name must not be mistaken for this one.
    aws.create_user_pool(PoolName="customers")
    faults.read_timeout(created=True)
    attempt = create(tenant, user, connection)

    assert attempt.status == AttemptStatus.RECONCILED
    assert faults.sent == 1
    assert pool_count(aws) == 2
    pool = UserPool.objects.get()
    assert attempt.pool == pool
    assert pool.user_pool_tags[ATTEMPT_TAG] == str(attempt.idempotency_key)
    assert actions(tenant) == ["pool.create.requested", "pool.create.reconciled"]


@pytest.mark.django_db
def test_read_timeout_without_a_pool_is_failed_and_safe_to_retry(
    tenant, user, connection, aws, faults
):
    faults.read_timeout(created=False)
    attempt = create(tenant, user, connection)
    assert attempt.status == AttemptStatus.UNKNOWN
    assert attempt.error_kind == "timeout"

    attempt = services.attempt_reconcile(attempt=settle(attempt), user=user)
    assert attempt.status == AttemptStatus.FAILED
    assert "safe to try again" in attempt.error_message
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_endpoint_down_is_failed_without_reconciling(
    tenant, user, connection, aws, faults
):
    faults.endpoint_down()
    attempt = create(tenant, user, connection)
    assert attempt.status == AttemptStatus.FAILED
    assert attempt.error_kind == "endpoint_unreachable"
    assert "cannot reach" in attempt.error_message
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_database_failure_after_aws_success_is_reconciled(
    tenant, user, connection, aws, monkeypatch, caplog
):
    real = services._attempt_succeed
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs.get("action"))
        if len(calls) == 1:
            raise OperationalError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "_attempt_succeed", flaky)
    with caplog.at_level(logging.WARNING, logger=services.logger.name):
        attempt = create(tenant, user, connection)

    assert attempt.status == AttemptStatus.RECONCILED
    # A real database failure is an error, with its traceback.
    (record,) = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info
    assert UserPool.objects.count() == 1
    assert pool_count(aws) == 1
    assert actions(tenant) == ["pool.create.requested", "pool.create.reconciled"]


@pytest.mark.django_db
def test_a_pool_imported_while_it_was_being_created_is_reconciled(
    tenant, user, connection, aws, monkeypatch, caplog
):
    # A new pool is inserted without looking for it first: an import that
    # saved it between AWS's answer and that insert must not be lost.
    real_client = services.cognito_client

    class ImportedMeanwhile:
        def __init__(self, client):
            self.client = client

        def __getattr__(self, name):
            return getattr(self.client, name)

        def create_user_pool(self, **request):
            response = self.client.create_user_pool(**request)
            UserPoolFactory(
                tenant=tenant,
                connection=connection,
                pool_id=response["UserPool"]["Id"],
                source="imported",
            )
            return response

    monkeypatch.setattr(
        services,
        "cognito_client",
        lambda **kwargs: ImportedMeanwhile(real_client(**kwargs)),
    )
    with caplog.at_level(logging.WARNING, logger=services.logger.name):
        attempt = create(tenant, user, connection)

    assert attempt.status == AttemptStatus.RECONCILED
    # The race is expected: a warning, without a traceback.
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and not record.exc_info
    assert "saved meanwhile" in record.getMessage()
    pool = UserPool.objects.get()
    assert attempt.pool == pool and pool.attempt == attempt
    assert pool.name == "customers"
    assert pool_count(aws) == 1
    assert actions(tenant) == ["pool.create.requested", "pool.create.reconciled"]


@pytest.mark.django_db
def test_reconcile_attempts_command_settles_what_was_left_open(
    tenant, user, connection, aws, monkeypatch
):
    def down(**kwargs):
        raise OperationalError("the database went away")

    # The database stays down for the whole request: the attempt is left
    # unknown, the pool exists only in AWS.
    monkeypatch.setattr(services, "_attempt_succeed", down)
    monkeypatch.setattr(services, "attempt_reconcile", lambda **kw: kw["attempt"])
    attempt = create(tenant, user, connection)
    assert CreateAttempt.objects.get().status == AttemptStatus.UNKNOWN
    assert not UserPool.objects.exists()
    monkeypatch.undo()

    call_command("reconcile_attempts")

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.RECONCILED
    assert UserPool.objects.count() == 1
    assert pool_count(aws) == 1


@pytest.mark.django_db
def test_reconcile_leaves_young_pending_attempts_alone(tenant, user, connection):
    attempt = CreateAttempt.objects.create(
        tenant=tenant,
        connection=connection,
        idempotency_key=uuid.uuid4(),
        request=REQUEST,
        started_at=timezone.now() - datetime.timedelta(minutes=4),
    )
    assert (
        services.attempts_reconcile_open(older_than=datetime.timedelta(minutes=5)) == []
    )
    # Old enough to reconcile, too young to be declared not created.
    young = services.attempts_reconcile_open(older_than=datetime.timedelta(0))
    assert [a.status for a in young] == [AttemptStatus.UNKNOWN]
    settle(attempt)
    old = services.attempts_reconcile_open(older_than=datetime.timedelta(0))
    assert [a.status for a in old] == [AttemptStatus.FAILED]


# Refresh and import -----------------------------------------------------

# AWS refusing a read, or not answering: what each failure audits.
READ_FAULTS = pytest.mark.parametrize(
    ("fault", "code", "kind"),
    [
        ("deny_reads", "AccessDeniedException", "access_denied"),
        ("reads_unreachable", "", "endpoint_unreachable"),
    ],
)


@pytest.mark.django_db
def test_pool_refresh_stores_what_changed(tenant, user, connection, aws):
    attempt = create(tenant, user, connection)
    pool = attempt.pool
    aws.update_user_pool(
        UserPoolId=pool.pool_id,
        MfaConfiguration="OFF",
        EmailVerificationSubject="New subject",
    )
    result = services.pool_refresh(pool=pool, user=user)

    assert "email_verification_subject" in result.changed
    pool.refresh_from_db()
    assert pool.email_verification_subject == "New subject"
    event = AuditEvent.objects.filter(action="pool.refreshed").get()
    assert "email_verification_subject" in event.data["changed"]


@pytest.mark.django_db
def test_pool_refresh_marks_a_pool_deleted_upstream(tenant, user, connection, aws):
    pool = create(tenant, user, connection).pool
    aws.delete_user_pool(UserPoolId=pool.pool_id)

    result = services.pool_refresh(pool=pool, user=user)

    assert result.deleted_upstream
    pool.refresh_from_db()
    assert pool.is_deleted_upstream
    assert AuditEvent.objects.get(action="pool.refreshed").data["deleted_upstream"]


@pytest.mark.django_db
@READ_FAULTS
def test_pool_refresh_audits_a_failure_and_changes_nothing(
    tenant, user, connection, aws, faults, fault, code, kind
):
    pool = UserPoolFactory(tenant=tenant, connection=connection)
    getattr(faults, fault)("DescribeUserPool")

    with pytest.raises(AwsError) as raised:
        services.pool_refresh(pool=pool, user=user)

    assert UserPool.objects.get(pk=pool.pk).last_refreshed_at == pool.last_refreshed_at
    event = AuditEvent.objects.get(action="pool.refresh.failed")
    assert event.outcome == Outcome.FAILURE
    assert (event.target_type, event.target_id) == ("userpool", str(pool.pk))
    assert event.actor_id == user.pk
    assert event.data["pool_id"] == pool.pool_id
    assert (event.data["code"], event.data["kind"]) == (code, kind)
    assert event.data["message"] == raised.value.message


@pytest.mark.django_db
def test_pools_import_pages_through_and_never_duplicates(
    tenant, user, connection, aws, monkeypatch
):
    monkeypatch.setattr(services, "LIST_PAGE_SIZE", 2)
    for n in range(5):
        aws.create_user_pool(PoolName=f"elsewhere-{n}")

    first = services.pools_import(connection=connection, user=user)
    second = services.pools_import(connection=connection, user=user)

    assert len(first.created) == 5 and not first.updated
    assert not second.created and len(second.updated) == 5
    assert UserPool.objects.count() == 5
    assert set(UserPool.objects.values_list("source", flat=True)) == {"imported"}
    assert not UserPool.objects.filter(created_by__isnull=False).exists()
    assert actions(tenant).count("pool.imported") == 5
    assert all(p.schema_attributes for p in UserPool.objects.all())


@pytest.mark.django_db
def test_pools_import_audits_what_changed_in_known_pools(tenant, user, connection, aws):
    changed = aws.create_user_pool(
        PoolName="elsewhere", UserPoolTags={"team": "blue"}, DeletionProtection="ACTIVE"
    )["UserPool"]
    aws.create_user_pool(PoolName="untouched")
    services.pools_import(connection=connection, user=user)
    aws.update_user_pool(
        UserPoolId=changed["Id"],
        UserPoolTags={"team": "red"},
        DeletionProtection="INACTIVE",
    )
    before = actions(tenant)

    result = services.pools_import(connection=connection, user=user)

    assert len(result.updated) == 2
    pool = UserPool.objects.get(pool_id=changed["Id"])
    assert pool.user_pool_tags == {"team": "red"}
    assert pool.deletion_protection == "INACTIVE"
    # One event, for the pool that changed: the same one a refresh writes.
    assert actions(tenant) == [*before, "pool.refreshed"]
    event = AuditEvent.objects.get(action="pool.refreshed")
    assert (event.target_type, event.target_id) == ("userpool", str(pool.pk))
    assert event.actor_id == user.pk
    assert event.outcome == Outcome.SUCCESS
    assert event.data == {
        "pool_id": pool.pool_id,
        "changed": ["deletion_protection", "user_pool_tags"],
        "deleted_upstream": False,
        "came_back": False,
        "via": "import",
    }


@pytest.mark.django_db
def test_pool_refresh_and_import_audit_a_change_alike(tenant, user, connection, aws):
    described = aws.create_user_pool(PoolName="elsewhere")["UserPool"]
    services.pools_import(connection=connection, user=user)
    pool = UserPool.objects.get()

    aws.update_user_pool(UserPoolId=described["Id"], UserPoolTags={"team": "red"})
    services.pool_refresh(pool=pool, user=user)
    aws.update_user_pool(UserPoolId=described["Id"], UserPoolTags={"team": "blue"})
    services.pools_import(connection=connection, user=user)

    refreshed, imported = AuditEvent.objects.filter(action="pool.refreshed").order_by(
        "seq"
    )
    assert imported.data == {**refreshed.data, "via": "import"}
    assert refreshed.data["changed"] == ["user_pool_tags"]


@pytest.mark.django_db
@READ_FAULTS
def test_pools_import_audits_a_failure(
    tenant, user, connection, aws, faults, fault, code, kind
):
    aws.create_user_pool(PoolName="elsewhere")
    getattr(faults, fault)()

    with pytest.raises(AwsError) as raised:
        services.pools_import(connection=connection, user=user)

    assert not UserPool.objects.exists()
    event = AuditEvent.objects.get(action="pool.import.failed")
    assert event.outcome == Outcome.FAILURE
    assert (event.target_type, event.target_id) == (
        "awsconnection",
        str(connection.pk),
    )
    assert event.actor_id == user.pk
    assert event.data["connection"] == connection.pk
    assert event.data["region"] == connection.region
    assert event.data["code"] == code
    assert event.data["kind"] == kind == raised.value.kind
    assert event.data["message"] == raised.value.message
    assert (event.data["created"], event.data["updated"]) == (0, 0)


@pytest.mark.django_db
def test_pools_import_failing_midway_audits_what_it_had_done(
    tenant, user, connection, aws, faults
):
    aws.create_user_pool(PoolName="first")
    aws.create_user_pool(PoolName="second")
    deny = error_response(
        "AccessDeniedException",
        "User is not authorized to perform: cognito-idp:DescribeUserPool",
    )
    described = []

    def second_is_denied(request):
        described.append(request)
        return deny(request) if len(described) > 1 else None

    faults.read_faults["DescribeUserPool"] = second_is_denied

    with pytest.raises(AwsError):
        services.pools_import(connection=connection, user=user)

    # The first pool's import committed; the failure says so.
    assert UserPool.objects.count() == 1
    assert actions(tenant) == ["pool.imported", "pool.import.failed"]
    event = AuditEvent.objects.get(action="pool.import.failed")
    assert event.data["code"] == "AccessDeniedException"
    assert "DescribeUserPool" in event.data["aws_message"]
    assert (event.data["created"], event.data["updated"]) == (1, 0)


@pytest.mark.django_db
def test_pools_import_of_an_archived_connection_calls_nothing(
    tenant, user, connection, aws
):
    connection.archived_at = timezone.now()
    connection.save()
    with pytest.raises(ApplicationError):
        services.pools_import(connection=connection, user=user)
    assert actions(tenant) == []


@pytest.mark.django_db
def test_pool_create_without_usable_credentials_fails_before_aws(tenant, user, aws):
    from tests.credentials.factories import AwsConnectionFactory

    keyless = AwsConnectionFactory(
        tenant=tenant, access_key_id="", secret_access_key=""
    )
    attempt = create(tenant, user, keyless)
    assert attempt.status == AttemptStatus.FAILED
    assert "no access keys" in attempt.error_message
    assert pool_count(aws) == 0
    assert actions(tenant) == ["pool.create.requested", "pool.create.failed"]


@pytest.mark.django_db
def test_reconcile_pages_through_pools_of_the_same_name(
    tenant, user, connection, aws, faults, monkeypatch
):
    monkeypatch.setattr(services, "LIST_PAGE_SIZE", 2)
    for _ in range(3):
        aws.create_user_pool(PoolName="customers", UserPoolTags={ATTEMPT_TAG: "x"})
    faults.read_timeout(created=True)
    attempt = create(tenant, user, connection)
    assert attempt.status == AttemptStatus.RECONCILED
    described = aws.describe_user_pool(UserPoolId=attempt.pool.pool_id)["UserPool"]
    assert described["UserPoolTags"][ATTEMPT_TAG] == str(attempt.idempotency_key)
    assert pool_count(aws) == 4


@pytest.mark.django_db
def test_attempt_draft_record_links_only_a_draft_of_the_attempts_tenant(
    tenant, other_tenant, user, connection
):
    from poolconsole.pools.models import PoolDraft

    attempt = CreateAttempt.objects.create(
        tenant=tenant,
        connection=connection,
        idempotency_key=uuid.uuid4(),
        request={"PoolName": "p"},
        created_by=user,
    )
    mine = PoolDraft.objects.create(tenant=tenant, name="mine", payload={})
    theirs = PoolDraft.objects.create(tenant=other_tenant, name="theirs", payload={})

    services.attempt_draft_record(attempt=attempt, draft=mine)
    assert CreateAttempt.objects.get(pk=attempt.pk).draft_id == mine.pk
    with pytest.raises(ApplicationError):
        services.attempt_draft_record(attempt=attempt, draft=theirs)
    assert CreateAttempt.objects.get(pk=attempt.pk).draft_id == mine.pk


@pytest.mark.django_db
def test_motos_own_error_about_a_custom_attribute_lands_at_its_row_not_a_namesake(
    tenant, user, connection, aws
):
    # No fault injected: moto itself refuses MinLength > MaxLength, naming
    # "user.custom:tier"; a row named "custom" must not take the message.
    request = {
        "PoolName": "p",
        "Schema": [
            {"Name": "custom", "AttributeDataType": "String"},
            {
                "Name": "tier",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MinLength": "10", "MaxLength": "5"},
            },
        ],
    }
    attempt = create(tenant, user, connection, request=request)
    assert attempt.status == AttemptStatus.FAILED
    assert "custom:tier" in attempt.error_message
    assert list(attempt.field_errors) == ["Schema.1"]
