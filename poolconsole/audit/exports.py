"""Stream the audit history as CSV or JSON Lines, a chunk of rows at a time."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django_scopes import scope

from poolconsole.tenants.models import Tenant

from . import selectors
from .models import AuditEvent

CHUNK_SIZE = 2000
COLUMNS = [
    "id",
    "seq",
    "created_at",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "outcome",
    "ip",
    "user_agent",
    "data",
    "prev_hash",
    "hash",
]
# A spreadsheet runs a cell starting with one of these as a formula (OWASP
# "CSV injection"); a leading quote makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def event_as_dict(event: AuditEvent) -> dict[str, Any]:
    """Return the exported fields of event."""
    return {
        "id": event.pk,
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_name": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "outcome": event.outcome,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "data": event.data,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True, ensure_ascii=False)
    value = str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class _Echo:
    """A file-like object whose write returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _events(*, tenant: Tenant, filters: dict) -> Iterator[AuditEvent]:
    # The response is streamed after the view, and its scope, have returned.
    with scope(tenant=tenant):
        qs = selectors.audit_list(tenant=tenant, filters=filters)
        yield from qs.iterator(chunk_size=CHUNK_SIZE)


def audit_export_csv(*, tenant: Tenant, filters: dict) -> Iterator[str]:
    """Yield the tenant's filtered events as CSV lines, header first."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for event in _events(tenant=tenant, filters=filters):
        row = event_as_dict(event)
        yield writer.writerow([_csv_cell(row[column]) for column in COLUMNS])


def audit_export_jsonl(*, tenant: Tenant, filters: dict) -> Iterator[str]:
    """Yield the tenant's filtered events as JSON Lines."""
    for event in _events(tenant=tenant, filters=filters):
        yield json.dumps(event_as_dict(event), ensure_ascii=False) + "\n"
