"""Read the audit trail: lists, pages, single events and weekly counts."""

import base64
import binascii
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from poolconsole.tenants.models import Tenant

from .models import AuditChain, AuditEvent

T = TypeVar("T")
PAGE_SIZE = 50
# The columns of an event table: the event's data (JSON) stays unread.
TABLE_FIELDS = (
    "created_at",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "outcome",
)


def _day_start(day: datetime.date) -> datetime.datetime:
    """Return the first instant of day in the current time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min),
        timezone.get_current_timezone(),
    )


def audit_list(*, tenant: Tenant, filters: dict[str, Any] | None = None) -> QuerySet:
    """Return the tenant's events matching filters, newest first.

    filters may hold ``action`` (exact, or a dotted prefix: ``pool.create``
    matches ``pool.create.failed``; a trailing ``.`` or ``*`` asks for the
    prefix only), ``actor`` (username snapshot), ``outcome``, ``target_type``
    and ``target_id``, ``targets`` (a list of ``(target_type, target_id)``:
    any of them), and ``date_from`` / ``date_to`` (dates, inclusive).
    Empty values are ignored.
    """
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = AuditEvent.objects.filter(tenant=tenant)
    if action := filters.get("action"):
        if action.endswith((".", "*")):
            qs = qs.filter(action__startswith=action.rstrip("*"))
        else:
            qs = qs.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if actor := filters.get("actor"):
        qs = qs.filter(actor_name=actor)
    if outcome := filters.get("outcome"):
        qs = qs.filter(outcome=outcome)
    if target_type := filters.get("target_type"):
        qs = qs.filter(target_type=target_type)
    if (target_id := filters.get("target_id")) is not None:
        qs = qs.filter(target_id=str(target_id))
    if (targets := filters.get("targets")) is not None:
        qs = qs.filter(_any_target(targets))
    if date_from := filters.get("date_from"):
        qs = qs.filter(created_at__gte=_day_start(date_from))
    # The last day a date input offers (9999-12-31) has no next day: it
    # bounds nothing.
    if (date_to := filters.get("date_to")) and date_to < datetime.date.max:
        qs = qs.filter(created_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return qs.order_by("-id")


def audit_head(*, tenant: Tenant) -> str:
    """Return the hash of the tenant's newest event ("" before the first).

    It changes with every event written, so it versions anything derived from
    the audit trail (or from the changes the trail records); being a hash of
    the events, a restored or re-created database cannot repeat it.
    """
    head = (
        AuditChain.objects.filter(tenant=tenant)
        .values_list("last_hash", flat=True)
        .first()
    )
    return head or ""


# A value cached under the chain head outlives its use only until the next
# event; this bounds what idle tenants keep.
CACHED_UNTIL_EVENT_SECONDS = 3600


def cached_until_next_event(*, tenant: Tenant, key: str, compute: Callable[[], T]) -> T:
    """Return compute(), cached until the tenant's next audit event.

    For values derived from the pools and events (counts over big tables):
    every write of either appends an audit event in its own transaction
    (``audit_record``), which moves the chain head, so the value is exact,
    never stale. key names the value; the tenant and the head are added.
    """
    head = audit_head(tenant=tenant)
    return cache.get_or_set(
        f"{key}:{tenant.pk}:{head}", compute, CACHED_UNTIL_EVENT_SECONDS
    )


def _any_target(targets: list[tuple[str, str]]) -> Q:
    """Return a condition matching events about any of targets (none: no event)."""
    match = Q(pk__in=[])
    for target_type, target_id in targets:
        match |= Q(target_type=target_type, target_id=str(target_id))
    return match


def audit_get(*, tenant: Tenant, event_id: int) -> AuditEvent:
    """Return the tenant's event by id, or raise AuditEvent.DoesNotExist."""
    return AuditEvent.objects.get(tenant=tenant, pk=event_id)


def audit_list_for_targets(
    *, tenant: Tenant, targets: list[tuple[str, str]]
) -> QuerySet:
    """Return the tenant's events about any of targets, newest first.

    A target is a ``(target_type, target_id)`` pair, e.g. ``("pool", "12")``;
    a pool's page passes its pool and its attempts. Slice the result.
    """
    if not targets:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(_any_target(targets), tenant=tenant)
        .only(*TABLE_FIELDS)
        .order_by("-id")
    )


# Keyset pagination -------------------------------------------------------

OLDER = "o"
NEWER = "n"


def cursor_encode(*, direction: str, event_id: int) -> str:
    """Return an opaque cursor for the events older or newer than event_id."""
    raw = f"{direction}{event_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str | None) -> tuple[str, int] | None:
    """Return (direction, event id) of cursor, or None when it is not valid."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        direction, event_id = raw[0], int(raw[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError, IndexError):
        return None
    if direction not in (OLDER, NEWER) or event_id < 0:
        return None
    return direction, event_id


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first, with the cursors of its neighbours."""

    events: list[AuditEvent]
    newer_cursor: str | None
    older_cursor: str | None


def audit_page(
    *,
    tenant: Tenant,
    filters: dict[str, Any] | None = None,
    cursor: str | None = None,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """Return the page of the tenant's filtered events that cursor points at.

    Keyset pagination on ``id``: one query of ``page_size + 1`` rows whatever
    the number of events, and no COUNT. Like DRF's CursorPagination, a page
    reached through a cursor assumes a neighbour exists in the direction it
    came from.
    """
    qs = audit_list(tenant=tenant, filters=filters).only(*TABLE_FIELDS)
    position = cursor_decode(cursor)
    if position is None:
        rows = list(qs[: page_size + 1])
        events = rows[:page_size]
        has_older, has_newer = len(rows) > page_size, False
    elif position[0] == OLDER:
        rows = list(qs.filter(id__lt=position[1])[: page_size + 1])
        events = rows[:page_size]
        has_older, has_newer = len(rows) > page_size, True
    else:
        rows = list(qs.filter(id__gt=position[1]).order_by("id")[: page_size + 1])
        events = rows[:page_size][::-1]
        has_older, has_newer = True, len(rows) > page_size
    return AuditPage(
        events=events,
        newer_cursor=(
            cursor_encode(direction=NEWER, event_id=events[0].pk)
            if has_newer and events
            else None
        ),
        older_cursor=(
            cursor_encode(direction=OLDER, event_id=events[-1].pk)
            if has_older and events
            else None
        ),
    )


# Dashboard -----------------------------------------------------------------


def audit_weekly_counts(
    *, tenant: Tenant, actions: list[str], weeks: int = 8
) -> list[dict[str, Any]]:
    """Return, for each of the last weeks (oldest first), the count per action.

    Each item is ``{"week": date of its Monday, "counts": {action: n}}``; weeks
    without events are present with zero counts. One query, over the
    (tenant, action, created_at) index.
    """
    today = timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    mondays = [
        this_monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)
    ]
    starts = [_day_start(monday) for monday in mondays]
    end = _day_start(this_monday + datetime.timedelta(weeks=1))
    # The week of an event as a CASE of plain comparisons: a week truncation
    # per row cost half a second at a million events (issue 7).
    week = Case(
        *(
            When(created_at__gte=start, then=Value(index))
            for index, start in reversed(list(enumerate(starts)))
        ),
        output_field=IntegerField(),
    )
    rows = (
        AuditEvent.objects.filter(
            tenant=tenant,
            action__in=actions,
            created_at__gte=starts[0],
            created_at__lt=end,
        )
        .annotate(week=week)
        .values_list("week", "action")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = [dict.fromkeys(actions, 0) for _ in mondays]
    for index, action, n in rows:
        counts[index][action] = n
    return [
        {"week": monday, "counts": counts[index]}
        for index, monday in enumerate(mondays)
    ]
