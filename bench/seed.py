"""Fill the benchmark database: one tenant, its users, P pools, E events.

Rows go in with bulk inserts; audit events skip ``audit_record`` (and carry
placeholder hashes), because the benchmark reads the chain, never checks it.
"""

import datetime
import json
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from poolconsole.audit.models import AuditChain, AuditEvent
from poolconsole.credentials.models import AuthMode, AwsConnection
from poolconsole.credentials.services import connection_update
from poolconsole.provisioning.models import UserPool
from poolconsole.tenants.models import Membership, Role, Tenant

TENANT_SLUG = "bench"
USERNAME = "bench"
SUPERUSER = "benchadmin"
# A throwaway database on 127.0.0.1: the password only has to be known.
PASSWORD = "bench-password-not-secret"

POOL_WORDS = ["customers", "partners", "staff", "mobile", "web", "legacy", "beta"]
ACTIONS = [
    ("pool.create.requested", "pending"),
    ("pool.create.succeeded", "success"),
    ("pool.refreshed", "success"),
    ("draft.saved", "success"),
    ("pool.create.failed", "failure"),
    ("connection.tested", "success"),
    ("membership.added", "success"),
]
ACTORS = ["bench", "alice", "bob", "carol"]
BATCH = 10_000


def seed(*, pools: int, events: int, log=print) -> dict:
    """Migrate the benchmark database, fill it and return the timings."""
    timings = {}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    timings["migrate_s"] = time.perf_counter() - started

    with scopes_disabled():
        step = time.perf_counter()
        tenant, user, superuser, conn = _seed_tenant()
        _seed_pools(tenant=tenant, user=user, connection_=conn, count=pools)
        timings["pools_s"] = time.perf_counter() - step
        log(f"  {pools} pools in {timings['pools_s']:.1f} s")

        step = time.perf_counter()
        _seed_events(tenant=tenant, user=user, count=events, log=log)
        timings["events_s"] = time.perf_counter() - step
        log(f"  {events} audit events in {timings['events_s']:.1f} s")

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    timings["total_s"] = time.perf_counter() - started
    return timings


def _seed_tenant():
    User = get_user_model()
    user = User.objects.create_user(USERNAME, f"{USERNAME}@example.com", PASSWORD)
    superuser = User.objects.create_superuser(
        SUPERUSER, f"{SUPERUSER}@example.com", PASSWORD
    )
    tenant = Tenant.objects.create(name="Benchmark Inc.", slug=TENANT_SLUG)
    Membership.objects.create(user=user, tenant=tenant, role=Role.ADMIN)
    conn = AwsConnection.objects.create(
        tenant=tenant,
        name="production",
        region="us-east-1",
        auth_mode=AuthMode.ASSUME_ROLE,
        role_arn="arn:aws:iam::123456789012:role/poolconsole",
        created_by=user,
    )
    return tenant, user, superuser, conn


def _pool(*, n: int, tenant, user, connection_, now) -> UserPool:
    # The shape of tests/provisioning/factories.py's UserPoolFactory.
    pool_id = f"us-east-1_pool{n:06d}"
    name = f"{POOL_WORDS[n % len(POOL_WORDS)]}-{n}"
    arn = f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool_id}"
    created = now - datetime.timedelta(minutes=n)
    return UserPool(
        tenant=tenant,
        connection=connection_,
        created_by=user,
        pool_id=pool_id,
        name=name,
        arn=arn,
        region="us-east-1",
        status="Enabled",
        creation_date=created,
        last_modified_date=created,
        estimated_number_of_users=n % 5000,
        mfa_configuration="OFF",
        schema_attributes=[
            {"Name": "sub", "AttributeDataType": "String", "Mutable": False},
            {"Name": "email", "AttributeDataType": "String", "Mutable": True},
            {"Name": "custom:tier", "AttributeDataType": "String", "Mutable": True},
        ],
        auto_verified_attributes=["email"],
        username_attributes=["email"],
        policies={"PasswordPolicy": {"MinimumLength": 12, "RequireNumbers": True}},
        raw_response={
            "Id": pool_id,
            "Name": name,
            "Arn": arn,
            "MfaConfiguration": "OFF",
        },
        last_refreshed_at=now,
    )


def _seed_pools(*, tenant, user, connection_, count: int) -> None:
    now = timezone.now()
    for start in range(0, count, BATCH):
        rows = [
            _pool(n=n, tenant=tenant, user=user, connection_=connection_, now=now)
            for n in range(start, min(start + BATCH, count))
        ]
        with transaction.atomic():
            UserPool.objects.bulk_create(rows, batch_size=1000)


def _seed_events(*, tenant, user, count: int, log) -> None:
    """Insert count events, oldest first, one a minute up to now."""
    table = AuditEvent._meta.db_table
    fields = [
        "tenant_id", "seq", "created_at", "actor_id", "actor_name", "action",
        "target_type", "target_id", "target_repr", "data", "outcome", "ip",
        "user_agent", "prev_hash", "hash",
    ]  # fmt: skip
    columns = ", ".join(connection.ops.quote_name(f) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) "
        f"VALUES ({placeholders})"
    )
    adapt = connection.ops.adapt_datetimefield_value
    first = timezone.now() - datetime.timedelta(minutes=count)
    for start in range(1, count + 1, BATCH):
        rows = []
        for seq in range(start, min(start + BATCH, count + 1)):
            action, outcome = ACTIONS[seq % len(ACTIONS)]
            actor = ACTORS[seq % len(ACTORS)]
            pool_n = seq % 10_000
            rows.append(
                (
                    tenant.pk,
                    seq,
                    adapt(first + datetime.timedelta(minutes=seq)),
                    user.pk if actor == USERNAME else None,
                    actor,
                    action,
                    "pool",
                    str(pool_n),
                    f"{POOL_WORDS[pool_n % len(POOL_WORDS)]}-{pool_n}",
                    json.dumps({"pool_id": f"us-east-1_pool{pool_n:06d}"}),
                    outcome,
                    "127.0.0.1",
                    "Mozilla/5.0 (benchmark)",
                    f"{seq - 1:064x}",
                    f"{seq:064x}",
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        if count >= 100_000 and (start - 1) % 100_000 == 0 and start > 1:
            log(f"    {start - 1} events...")
    AuditChain.objects.create(tenant=tenant, last_seq=count, last_hash=f"{count:064x}")


def connection_id() -> int:
    """Return the id of the benchmark tenant's AWS connection."""
    with scopes_disabled():
        return AwsConnection.objects.get(tenant__slug=TENANT_SLUG).pk


def connection_to_emulator(*, endpoint_url: str, access_keys: dict) -> None:
    """Point the tenant's AWS connection at an emulator, with access keys.

    Through ``connection_update``, as an admin would: the keys are
    encrypted with POOLCONSOLE_ENCRYPTION_KEYS and the change is audited.
    """
    with scopes_disabled():
        conn = AwsConnection.objects.get(tenant__slug=TENANT_SLUG)
        connection_update(
            connection=conn,
            actor=get_user_model().objects.get(username=USERNAME),
            name=conn.name,
            region=conn.region,
            auth_mode=AuthMode.ACCESS_KEYS,
            access_key_id=access_keys["aws_access_key_id"],
            secret_access_key=access_keys["aws_secret_access_key"],
            endpoint_url=endpoint_url,
        )
