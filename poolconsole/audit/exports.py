"""Stream the audit history as CSV or JSON Lines, a chunk of rows at a time."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django_scopes import scope

from poolconsole.tenants.models import Tenant

from . import selectors

CHUNK_SIZE = 5000
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


# Rows read from the database at a time, and rows handed to the server at a
# time: one write per row made a million-row export take 30 s (issue 7).
LINES_PER_CHUNK = 500
# Columns whose text comes from users (names, ids, reprs, the user agent):
# the only ones a formula could start.
USER_TEXT = frozenset(
    {"actor_name", "action", "target_type", "target_id", "target_repr", "user_agent"}
)


def _as_dict(row) -> dict[str, Any]:
    exported = dict(zip(COLUMNS, row, strict=True))
    exported["created_at"] = exported["created_at"].isoformat()
    return exported


def _defuse(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


_USER_TEXT_AT = [COLUMNS.index(column) for column in sorted(USER_TEXT)]
_IP, _DATA, _CREATED = (COLUMNS.index(c) for c in ("ip", "data", "created_at"))


def _csv_row(row) -> list:
    cells = list(row)
    for index in _USER_TEXT_AT:
        cells[index] = _defuse(cells[index])
    cells[_CREATED] = cells[_CREATED].isoformat()
    cells[_IP] = cells[_IP] or ""
    cells[_DATA] = _defuse(json.dumps(cells[_DATA], sort_keys=True, ensure_ascii=False))
    return cells


class _Echo:
    """A file-like object whose write returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _rows(*, tenant: Tenant, filters: dict) -> Iterator[tuple]:
    # The response is streamed after the view, and its scope, have returned.
    with scope(tenant=tenant):
        qs = selectors.audit_list(tenant=tenant, filters=filters)
        yield from qs.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)


def _chunked(lines: Iterator[str]) -> Iterator[str]:
    """Yield lines joined LINES_PER_CHUNK at a time."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk.clear()
    if chunk:
        yield "".join(chunk)


def audit_export_csv(*, tenant: Tenant, filters: dict) -> Iterator[str]:
    """Yield the tenant's filtered events as CSV, header first, in chunks."""
    writer = csv.writer(_Echo())
    lines = (
        writer.writerow(_csv_row(row)) for row in _rows(tenant=tenant, filters=filters)
    )
    yield writer.writerow(COLUMNS)
    yield from _chunked(lines)


def audit_export_jsonl(*, tenant: Tenant, filters: dict) -> Iterator[str]:
    """Yield the tenant's filtered events as JSON Lines, in chunks."""
    lines = (
        json.dumps(_as_dict(row), ensure_ascii=False) + "\n"
        for row in _rows(tenant=tenant, filters=filters)
    )
    yield from _chunked(lines)
