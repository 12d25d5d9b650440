import threading

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from poolconsole.audit.models import AppendOnlyError, AuditChain, AuditEvent
from poolconsole.audit.selectors import audit_list_for_targets
from poolconsole.audit.services import MASK, audit_record, scrub
from poolconsole.audit.verify import audit_verify_chain
from poolconsole.tenants.models import Membership
from tests.factories import UserFactory


@pytest.mark.django_db
def test_audit_record_writes_action_actor_target_and_outcome(tenant, user, record):
    membership = Membership.objects.get(user=user, tenant=tenant)
    event = record(
        tenant=tenant,
        actor=user,
        action="membership.changed",
        target=membership,
        data={"from": "viewer", "to": "admin"},
        outcome="failure",
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.action, event.actor, event.actor_name) == (
        "membership.changed",
        user,
        "alice",
    )
    assert (event.target_type, event.target_id, event.target_repr) == (
        "membership",
        str(membership.pk),
        str(membership),
    )
    assert event.outcome == "failure"
    assert event.data == {"from": "viewer", "to": "admin"}
    assert (event.seq, event.prev_hash) == (1, "0" * 64)
    chain = AuditChain.objects.get(tenant=tenant)
    assert (chain.last_seq, chain.last_hash) == (1, event.hash)


@pytest.mark.django_db
def test_audit_record_chains_events_of_each_tenant_separately(
    tenant, other_tenant, record
):
    a1 = record(tenant=tenant)
    b1 = record(tenant=other_tenant)
    a2 = record(tenant=tenant)
    assert (a1.seq, b1.seq, a2.seq) == (1, 1, 2)
    assert a2.prev_hash == a1.hash
    assert b1.prev_hash == "0" * 64


@pytest.mark.django_db
def test_audit_record_of_a_rolled_back_change_leaves_no_event(tenant, user):
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        UserFactory(username="temp")
        audit_record(tenant=tenant, actor=user, action="membership.added")
        raise RuntimeError("boom")
    assert not AuditEvent.objects.exists()
    assert AuditChain.objects.filter(tenant=tenant, last_seq__gt=0).count() == 0


@pytest.mark.django_db
def test_audit_record_refuses_to_run_outside_a_transaction(tenant):
    # pytest-django's test transaction is an atomic block: leave it briefly.
    atomic = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the change's transaction"):
            audit_record(tenant=tenant, action="x.y")
    finally:
        connection.in_atomic_block = atomic


@pytest.mark.django_db
def test_audit_record_masks_secrets_in_data(tenant, record):
    event = record(
        tenant=tenant,
        data={
            "request": {
                "PoolName": "p",
                "SecretAccessKey": "AKIA-SECRET-CANARY",
                "nested": [{"client_secret": "s3cr3t", "ok": 1}],
            },
            "Password": "hunter2",
            "session_token": "tok-canary",
        },
    )
    stored = AuditEvent.objects.get(pk=event.pk).data
    assert stored["request"]["SecretAccessKey"] == MASK
    assert stored["request"]["nested"][0] == {"client_secret": MASK, "ok": 1}
    assert stored["Password"] == MASK
    assert stored["session_token"] == MASK
    assert stored["request"]["PoolName"] == "p"
    for secret in ("AKIA-SECRET-CANARY", "s3cr3t", "hunter2", "tok-canary"):
        assert secret not in str(stored)


def test_scrub_masks_only_secret_named_keys():
    assert scrub({"name": "x", "private_key": "k", "list": [{"token": 1}]}) == {
        "name": "x",
        "private_key": MASK,
        "list": [{"token": MASK}],
    }


@pytest.mark.django_db
def test_audit_list_for_targets_returns_history_of_those_targets_only(
    tenant, other_tenant, record
):
    pool = record(tenant=tenant, target_type="pool", target_id=3)
    attempt = record(tenant=tenant, target_type="attempt", target_id=9)
    record(tenant=tenant, target_type="pool", target_id=4)
    record(tenant=other_tenant, target_type="pool", target_id=3)
    events = audit_list_for_targets(
        tenant=tenant, targets=[("pool", "3"), ("attempt", "9")]
    )
    assert [e.pk for e in events] == [attempt.pk, pool.pk]
    assert list(audit_list_for_targets(tenant=tenant, targets=[])) == []


# Append-only ------------------------------------------------------------


@pytest.mark.django_db
def test_saving_an_existing_event_raises(tenant, record):
    event = record(tenant=tenant)
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()


@pytest.mark.django_db
def test_deleting_an_event_raises(tenant, record):
    event = record(tenant=tenant)
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_queryset_update_raises(tenant, record):
    record(tenant=tenant)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(tenant=tenant).update(action="forged")


@pytest.mark.django_db
def test_queryset_delete_raises(tenant, record):
    record(tenant=tenant)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(tenant=tenant).delete()
    assert AuditEvent.objects.count() == 1


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_admin_shows_events_read_only(superuser_client, tenant, record):
    event = record(tenant=tenant, action="draft.saved")
    changelist = reverse("admin:audit_auditevent_changelist")
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert superuser_client.get(changelist).status_code == 200
    page = superuser_client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert (
        superuser_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    )
    assert superuser_client.post(change, {"action": "forged"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    bulk = superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert bulk.status_code in (200, 302, 403)
    assert AuditEvent.objects.get(pk=event.pk).action == "draft.saved"


# Concurrency --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the row lock matters on PostgreSQL",
)
def test_concurrent_appends_do_not_fork_the_chain(tenant):
    threads, per_thread, errors = 8, 10, []
    barrier = threading.Barrier(threads)

    def append(n):
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(tenant=tenant, action=f"test.t{n}.{i}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    seqs = list(
        AuditEvent.objects.filter(tenant=tenant)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, threads * per_thread + 1))
    count, chain_break = audit_verify_chain(tenant=tenant)
    assert (count, chain_break) == (threads * per_thread, None)
