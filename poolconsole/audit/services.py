"""Write the audit trail: ``audit_record`` is the only writer."""

import hashlib
import json
from typing import Any

from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from poolconsole.core.http import client_ip, user_agent
from poolconsole.tenants.models import Tenant

from .models import AuditChain, AuditEvent, Outcome

GENESIS_HASH = "0" * 64
MASK = "********"
# A key containing one of these words holds a secret; its value is masked.
SECRET_KEY_WORDS = ("secret", "password", "token", "credential", "private")


def scrub(value: Any) -> Any:
    """Return value with every secret-named key's value masked."""
    if isinstance(value, dict):
        return {
            str(k): (
                MASK if any(w in str(k).lower() for w in SECRET_KEY_WORDS) else scrub(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """Return value as canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def event_hash_payload(event: AuditEvent) -> dict:
    """Return the fields of event that its hash covers."""
    return {
        "tenant": event.tenant_id,
        "seq": event.seq,
        "created_at": event.created_at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "data": event.data,
        "outcome": event.outcome,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "prev_hash": event.prev_hash,
    }


def event_compute_hash(event: AuditEvent) -> str:
    """Return the SHA-256 of event's canonical JSON, chained to prev_hash."""
    return hashlib.sha256(
        canonical_json(event_hash_payload(event)).encode()
    ).hexdigest()


def _lock_chain(tenant: Tenant) -> AuditChain:
    """Return the tenant's chain head, locked until the transaction ends."""
    heads = AuditChain.objects.select_for_update()
    try:
        return heads.get(tenant=tenant)
    except AuditChain.DoesNotExist:
        # The tenant's first event. ON CONFLICT DO NOTHING: two first writers
        # must not fail each other.
        AuditChain.objects.bulk_create(
            [AuditChain(tenant=tenant)], ignore_conflicts=True
        )
        return heads.get(tenant=tenant)


def audit_record(
    *,
    tenant: Tenant,
    actor=None,
    action: str,
    target: Any = None,
    target_type: str = "",
    target_id: str | int = "",
    target_repr: str = "",
    data: dict | None = None,
    outcome: str = Outcome.SUCCESS,
    request=None,
) -> AuditEvent:
    """Append an event to the tenant's audit chain and return it.

    Call it inside the transaction of the change it records, so that the
    change and its event commit or roll back together. ``target`` may be a
    model instance (its type, id and ``str`` are used). Secret-named keys of
    ``data`` are masked.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the change's transaction.")
    if target is not None:
        target_type = target_type or target._meta.model_name
        target_id = target_id or target.pk
        target_repr = target_repr or str(target)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    clean_data = json.loads(canonical_json(scrub(data or {})))

    with scopes_disabled():
        chain = _lock_chain(tenant)
        event = AuditEvent(
            tenant=tenant,
            seq=chain.last_seq + 1,
            created_at=timezone.now(),
            actor=actor,
            actor_name=actor.get_username() if actor else "",
            action=action,
            target_type=target_type,
            target_id=str(target_id or ""),
            target_repr=str(target_repr)[:255],
            data=clean_data,
            outcome=outcome,
            ip=client_ip(request),
            user_agent=user_agent(request),
            prev_hash=chain.last_hash,
        )
        event.hash = event_compute_hash(event)
        event.save()
        AuditChain.objects.filter(pk=chain.pk).update(
            last_seq=event.seq, last_hash=event.hash
        )
    return event
