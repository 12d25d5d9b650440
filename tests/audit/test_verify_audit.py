import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from poolconsole.audit.models import AuditEvent
from poolconsole.audit.services import event_compute_hash

on_postgresql = connection.vendor == "postgresql"
TABLE = AuditEvent._meta.db_table


def _verify(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _allow_tampering():
    """Switch the append-only trigger off for this test's transaction."""
    if on_postgresql:
        with connection.cursor() as cursor:
            # ALTER TABLE refuses to run while deferred FK checks of the
            # fixture's inserts are pending: fire them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_no_update_delete"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def chain(tenant, other_tenant, user, record):
    """Five events of tenant and two of other_tenant."""
    events = [
        record(tenant=tenant, actor=user, action="pool.create.requested", data={"i": i})
        for i in range(5)
    ]
    record(tenant=other_tenant, action="connection.created")
    record(tenant=other_tenant, action="connection.tested")
    return events


@pytest.mark.django_db
def test_verify_audit_passes_on_intact_chains(chain):
    assert _verify().strip() == "7 events verified"
    assert _verify("--tenant", "alpha").strip() == "5 events verified"


@pytest.mark.django_db
def test_verify_audit_passes_without_any_event(tenant):
    assert _verify().strip() == "0 events verified"


@pytest.mark.django_db
def test_verify_audit_rejects_an_unknown_tenant(tenant):
    with pytest.raises(CommandError, match="No tenant"):
        _verify("--tenant", "nope")


@pytest.mark.django_db
def test_verify_audit_names_an_event_changed_with_raw_sql(chain):
    _allow_tampering()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET data = %s WHERE id = %s",
            [json.dumps({"i": 99}), chain[2].pk],
        )
    with pytest.raises(CommandError) as exc:
        _verify()
    assert f"event id={chain[2].pk} seq=3 changed" in str(exc.value)
    # The other tenant's chain is intact.
    assert _verify("--tenant", "bravo").strip() == "2 events verified"


@pytest.mark.django_db
def test_verify_audit_names_a_change_whose_hash_was_recomputed(chain):
    forged = AuditEvent.objects.get(pk=chain[1].pk)
    forged.actor_name = "mallory"
    _allow_tampering()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET actor_name = %s, hash = %s WHERE id = %s",
            ["mallory", event_compute_hash(forged), chain[1].pk],
        )
    with pytest.raises(CommandError) as exc:
        _verify("--tenant", "alpha")
    assert f"event id={chain[2].pk} seq=3 changed" in str(exc.value)


@pytest.mark.django_db
def test_verify_audit_names_the_gap_of_a_deleted_event(chain):
    _allow_tampering()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError) as exc:
        _verify()
    message = str(exc.value)
    assert f"event id={chain[2].pk} seq=3 removed" in message
    assert "seq 2..2 missing" in message


@pytest.mark.django_db
def test_verify_audit_notices_the_newest_event_deleted(chain):
    _allow_tampering()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [chain[-1].pk])
    with pytest.raises(CommandError, match="seq=5 removed"):
        _verify("--tenant", "alpha")


@pytest.mark.django_db
def test_verify_audit_names_an_event_inserted_with_raw_sql(chain, tenant):
    last = chain[-1]
    forged = AuditEvent(
        tenant=tenant,
        seq=last.seq + 1,
        created_at=last.created_at,
        actor_name="mallory",
        action="pool.create.succeeded",
        data={},
        outcome="success",
        prev_hash=last.hash,
    )
    # A careful forger: correct seq, link and hash; only the head betrays it.
    forged.hash = event_compute_hash(forged)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (tenant_id, seq, created_at, actor_name, action,"
            " target_type, target_id, target_repr, data, outcome, user_agent,"
            " prev_hash, hash) VALUES (%s, %s, %s, %s, %s, '', '', '', %s, %s, '',"
            " %s, %s)",
            [
                tenant.pk,
                forged.seq,
                forged.created_at,
                forged.actor_name,
                forged.action,
                "{}",
                forged.outcome,
                forged.prev_hash,
                forged.hash,
            ],
        )
        inserted_id = AuditEvent.objects.get(tenant=tenant, seq=forged.seq).pk
    with pytest.raises(CommandError) as exc:
        _verify()
    assert f"event id={inserted_id} seq=6 inserted" in str(exc.value)


@pytest.mark.django_db
def test_verify_audit_exits_with_status_1_from_the_command_line(chain):
    from django.core.management import ManagementUtility

    _allow_tampering()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [chain[0].pk])
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "verify_audit"]).execute()
    assert exc.value.code == 1


@pytest.mark.django_db
@pytest.mark.skipif(not on_postgresql, reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_raw_update_and_delete(chain):
    for sql in (
        f"UPDATE {TABLE} SET actor_name = 'mallory' WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [chain[0].pk])
    assert _verify().strip() == "7 events verified"
