"""Check the audit chains: recompute hashes, follow links, compare heads."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from poolconsole.tenants.models import Tenant

from .models import AuditChain, AuditEvent
from .services import GENESIS_HASH, event_compute_hash

CHANGED = "changed"
REMOVED = "removed"
INSERTED = "inserted"


@dataclass(frozen=True)
class ChainBreak:
    """The first place a tenant's chain does not hold."""

    tenant: Tenant
    what: str  # changed, removed or inserted
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event id={self.event_id}" if self.event_id else "no event"
        return (
            f"tenant {self.tenant.slug}: {where} seq={self.seq} {self.what}: "
            f"{self.reason}"
        )


def _events(tenant: Tenant) -> Iterator[AuditEvent]:
    qs: QuerySet = AuditEvent.objects.filter(tenant=tenant).order_by("seq")
    return qs.iterator(chunk_size=2000)


def audit_verify_chain(*, tenant: Tenant) -> tuple[int, ChainBreak | None]:
    """Return the number of events checked and the chain's first break, if any.

    Run it without a scope (``scopes_disabled``) and, on PostgreSQL, in a
    REPEATABLE READ transaction so that appends during the check do not look
    like insertions.
    """
    head = AuditChain.objects.filter(tenant=tenant).first()
    last_seq = head.last_seq if head else 0
    expected_seq, prev_hash, prev_id, count = 1, GENESIS_HASH, 0, 0

    def broken(what, event, reason, seq=None):
        return count, ChainBreak(
            tenant=tenant,
            what=what,
            seq=event.seq if seq is None else seq,
            event_id=event.pk if event else None,
            reason=reason,
        )

    for event in _events(tenant):
        if event.seq > last_seq:
            return broken(
                INSERTED, event, f"beyond the chain head (last seq {last_seq})"
            )
        if event.seq != expected_seq:
            return broken(
                REMOVED,
                event,
                f"seq {expected_seq}..{event.seq - 1} missing before this event",
            )
        if event.pk < prev_id:
            return broken(
                INSERTED, event, f"its id is below the previous event's ({prev_id})"
            )
        if event_compute_hash(event) != event.hash:
            return broken(CHANGED, event, "its hash does not match its content")
        if event.prev_hash != prev_hash:
            return broken(
                CHANGED, event, "prev_hash does not match the previous event's hash"
            )
        expected_seq, prev_hash, prev_id = event.seq + 1, event.hash, event.pk
        count += 1

    if expected_seq - 1 < last_seq:
        return count, ChainBreak(
            tenant=tenant,
            what=REMOVED,
            seq=expected_seq,
            event_id=None,
            reason=f"seq {expected_seq}..{last_seq} missing at the end of the chain",
        )
    if head and head.last_hash != prev_hash:
        return count, ChainBreak(
            tenant=tenant,
            what=CHANGED,
            seq=last_seq,
            event_id=prev_id or None,
            reason="the newest event's hash does not match the chain head",
        )
    return count, None
