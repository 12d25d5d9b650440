"""Reads of created pools and create attempts."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from poolconsole.audit import selectors as audit_selectors
from poolconsole.pools.validation import (
    STANDARD_ATTRIBUTES,
    is_custom_name,
    stored_name_prefix,
)
from poolconsole.tenants.models import Tenant

from .models import (
    ATTEMPT_TAG,
    OPEN_STATUSES,
    SEARCH_SEPARATOR,
    CreateAttempt,
    UserPool,
)

# Sort key of the list page -> indexed ordering (the id breaks ties, so
# pages are stable).
POOL_SORTS: dict[str, tuple[str, ...]] = {
    "-created": ("-creation_date", "-id"),
    "created": ("creation_date", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "users": ("estimated_number_of_users", "id"),
    "-users": ("-estimated_number_of_users", "-id"),
}
DEFAULT_SORT = "-created"
# The columns the list page shows: the JSON of Cognito's answer stays unread.
LIST_FIELDS = (
    "tenant_id",
    "pool_id",
    "name",
    "region",
    "status",
    "source",
    "creation_date",
    "estimated_number_of_users",
    "deleted_upstream_at",
    "connection__name",
    "created_by__username",
)


def pool_list(
    *, tenant: Tenant, query: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[UserPool]:
    """Return the tenant's pools matching query (name or id), sorted by sort."""
    pools = UserPool.objects.filter(tenant=tenant)
    query = query.strip()
    if query:
        pools = pools.filter(_search(query))
    return pools.order_by(*POOL_SORTS.get(sort, POOL_SORTS[DEFAULT_SORT]))


def _search(query: str) -> Q:
    """Return the condition "name or id contains query", ignoring case, in
    the form each database finds fastest (make bench, 10,000 pools)."""
    if connection.vendor == "sqlite":
        # SQLite counts the matches through the covering index userpool_search
        # (1.6 ms); it won't treat an index of a generated column as covering
        # and scans the table instead (3.9 ms).
        return Q(name__icontains=query) | Q(pool_id__icontains=query)
    # PostgreSQL has statistics for search_text, not for the UPPER(name) of
    # icontains: it guessed 2 matches of 1,429 and scanned the table (11 ms).
    # Neither a name nor an id holds the separator: dropped from the query,
    # it can't make a match that spans both.
    return Q(search_text__contains=query.lower().replace(SEARCH_SEPARATOR, ""))


def pool_page(
    *, tenant: Tenant, query: str = "", sort: str = DEFAULT_SORT, number, size: int
) -> Page:
    """Return page number (clamped to the existing pages) of pool_list.

    The page is found on ids alone, then its rows are read with their
    connection and creator: with the joins, an OFFSET of 10,000 made SQLite
    join every skipped row (4.4 ms; 0.3 ms on ids). The rows are dicts of
    ``id`` and ``LIST_FIELDS`` (``connection__name``...): the list renders
    25 of them, and building model instances of the pools, their
    connections and their creators took 0.9 of the page's 5.6 ms (issue 7).
    """
    ids = pool_list(tenant=tenant, query=query, sort=sort).values_list("id", flat=True)
    paginator = Paginator(ids, size)
    paginator.count = _pool_count(tenant=tenant, query=query, ids=ids)
    page = paginator.get_page(number)
    rows = UserPool.objects.filter(tenant=tenant, pk__in=list(page.object_list))
    by_id = {row["id"]: row for row in rows.values("id", *LIST_FIELDS)}
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    return page


def _pool_count(*, tenant: Tenant, query: str, ids: QuerySet) -> int:
    """Return how many of the tenant's pools match query, cached.

    The count scans all the tenant's pools (1.6 ms for a search of 10,000 on
    SQLite, issue 7). It changes only when a pool is written, so it is cached
    until the tenant's next audit event, like the dashboard's summary.
    """
    digest = hashlib.sha256(query.strip().encode()).hexdigest()
    return audit_selectors.cached_until_next_event(
        tenant=tenant, key=f"pool_count:{digest}", compute=ids.count
    )


def pool_get(*, tenant: Tenant, pool_id: int) -> UserPool:
    """Return the tenant's pool by primary key, or raise UserPool.DoesNotExist."""
    return UserPool.objects.select_related("connection", "created_by").get(
        tenant=tenant, pk=pool_id
    )


def attempt_list_for_pool(*, tenant: Tenant, pool: UserPool) -> QuerySet:
    """Return the attempts that created pool (one, or several retries' worth)."""
    return (
        CreateAttempt.objects.filter(tenant=tenant, pool=pool)
        .select_related("created_by")
        .order_by("-started_at", "-id")
    )


def pool_find(*, tenant: Tenant, text: str, limit: int = 20) -> list[UserPool]:
    """Return the tenant's pools whose Cognito id is text or whose name is text
    (case-insensitive), at most limit of them."""
    text = text.strip()
    return list(
        UserPool.objects.filter(Q(pool_id=text) | Q(name__iexact=text), tenant=tenant)
        .only("id")
        .order_by("-id")[:limit]
    )


def pool_audit_targets(
    *, tenant: Tenant, pools: list[UserPool], name: str = "", limit: int = 100
) -> list[tuple[str, str]]:
    """Return the audit targets of pools: each pool and its create attempts,
    with the latest attempts that asked for a pool named name (case-
    insensitive), such as failed ones, which made no pool."""
    attempts = list(
        CreateAttempt.objects.filter(tenant=tenant, pool__in=pools).only("pk")
    )
    if name:
        # Every attempt of the pools, and the latest others by name.
        named = (
            CreateAttempt.objects.filter(
                tenant=tenant, request__PoolName__iexact=name, pool__isnull=True
            )
            .only("pk")
            .order_by("-id")[:limit]
        )
        attempts += list(named)
    return audit_targets(pools=pools, attempts=attempts)


def audit_targets(*, pools, attempts) -> list[tuple[str, str]]:
    """Return the audit targets (type, id) of pools and of create attempts."""
    return [("userpool", str(pool.pk)) for pool in pools] + [
        ("createattempt", str(attempt.pk)) for attempt in attempts
    ]


def pool_status_counts(*, tenant: Tenant) -> list[tuple[str, int]]:
    """Return (status, number of pools) of the tenant, deleted ones apart."""
    rows = (
        UserPool.objects.filter(tenant=tenant)
        .annotate(
            shown=Case(
                When(deleted_upstream_at__isnull=False, then=Value("Deleted in AWS")),
                # Cognito no longer fills UserPool.Status (deprecated): a
                # pool without one is simply there.
                When(status="", then=Value("In AWS")),
                default=F("status"),
                output_field=CharField(),
            )
        )
        .values("shown")
        .annotate(n=Count("id"))
        .order_by("shown")
    )
    return [(row["shown"], row["n"]) for row in rows]


def attempt_list_open(*, tenant: Tenant, limit: int = 10) -> list[CreateAttempt]:
    """Return the tenant's newest attempts still pending or of unknown outcome."""
    return list(
        CreateAttempt.objects.filter(tenant=tenant, status__in=OPEN_STATUSES)
        .select_related("created_by", "connection")
        .order_by("-id")[:limit]
    )


def attempt_get(*, tenant: Tenant, attempt_id: int) -> CreateAttempt:
    """Return the tenant's attempt by id, or raise CreateAttempt.DoesNotExist."""
    return CreateAttempt.objects.select_related("connection", "created_by", "pool").get(
        tenant=tenant, pk=attempt_id
    )


# Requested vs effective ----------------------------------------------------

# Response keys that describe the pool rather than the design.
NOT_DESIGN_KEYS = frozenset(
    {
        "Id",
        "Arn",
        "Status",
        "CreationDate",
        "LastModifiedDate",
        "EstimatedNumberOfUsers",
        "Domain",
        "CustomDomain",
        "SmsConfigurationFailure",
        "EmailConfigurationFailure",
    }
)
# Request key -> the response key that holds the same value.
RENAMED = {"PoolName": "Name", "Schema": "SchemaAttributes"}

AS_REQUESTED = "as requested"
DEFAULTED = "Cognito default"
DIFFERS = "differs"
ADDED_BY_COGNITO = "the standard attributes Cognito adds to every pool (see Schema)"
ADDED_LATER = "not in the request (see Schema)"


@dataclass(frozen=True)
class Comparison:
    """One value of the pool: what was asked for and what Cognito holds."""

    path: str
    requested: Any
    effective: Any
    origin: str


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, child in value.items():
            _flatten(child, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = value


def _stored_name(entry: dict) -> str:
    """Return the name Cognito gives the schema attribute a request describes.

    A name typed with its prefix gets another one (``custom:custom:tier``,
    https://github.com/awsdocs/aws-cloudformation-user-guide/issues/932),
    as the design form warns.
    """
    name = str(entry.get("Name", ""))
    if name in STANDARD_ATTRIBUTES:
        return name
    return stored_name_prefix(entry) + name


def _by_schema_name(schema: list, *, requested: bool) -> dict:
    rows = {}
    for entry in schema or []:
        if requested:
            # Compare the name too as Cognito returns it, not as typed.
            name = _stored_name(entry)
            entry = {**entry, "Name": name}
        else:
            name = str(entry.get("Name", ""))
        rows[name] = entry
    return rows


def _schema_of(tree: dict, *, requested: bool) -> dict:
    """Return the schema attributes of a request or a pool, by stored name."""
    schema = tree.get("Schema" if requested else "SchemaAttributes")
    return _by_schema_name(schema, requested=requested)


def _comparable(
    tree: dict,
    *,
    requested: bool,
    schema: dict,
    leave_out: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Return tree's leaf values by path; schema is ``_schema_of(tree)``."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        key = RENAMED.get(key, key) if requested else key
        if key in NOT_DESIGN_KEYS:
            continue
        if key == "SchemaAttributes":
            for name, entry in schema.items():
                if name not in leave_out:
                    _flatten(entry, f"SchemaAttributes[{name}]", flat)
            continue
        if key == "UserPoolTags" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != ATTEMPT_TAG}
            if not value:  # Only poolconsole's own tag: nothing designed.
                continue
        _flatten(value, key, flat)
    return flat


def _same(requested: Any, effective: Any) -> bool:
    if requested == effective:
        return True
    # Cognito answers numbers of a schema's constraints as strings.
    return str(requested) == str(effective)


def _unnamed_attributes(names: frozenset[str]) -> list[Comparison]:
    """Return the rows of a pool's schema attributes the request did not name.

    Cognito adds its standard attributes to every pool: one row names them
    all. A custom one was added after the pool was created: drift, a row each.
    """
    custom = sorted(name for name in names if is_custom_name(name))
    standard = sorted(name for name in names if not is_custom_name(name))
    rows = [
        Comparison(
            path=f"SchemaAttributes[{name}]",
            requested=None,
            effective=ADDED_LATER,
            origin=DIFFERS,
        )
        for name in custom
    ]
    if standard:
        rows.append(
            Comparison(
                path="SchemaAttributes",
                requested=None,
                effective=f"{', '.join(standard)}: {ADDED_BY_COGNITO}",
                origin=DEFAULTED,
            )
        )
    return rows


def requested_vs_effective(*, request: dict, effective: dict) -> list[Comparison]:
    """Compare a create request with the pool Cognito describes.

    Each leaf value of the pool is ``as requested``, a ``Cognito default``
    (the request did not say, so it is not drift) or ``differs``; values the
    request named that the pool lacks are ``differs`` too. Schema attributes
    the request did not name are not compared value by value
    (``_unnamed_attributes``). Rows are sorted by path.
    """
    request, effective = request or {}, effective or {}
    # The twenty standard attributes Cognito adds to every pool would be
    # 140 rows of values, all shown under Schema already.
    asked_schema = _schema_of(request, requested=True)
    got_schema = _schema_of(effective, requested=False)
    unnamed = frozenset(got_schema.keys() - asked_schema.keys())
    asked = _comparable(request, requested=True, schema=asked_schema)
    got = _comparable(effective, requested=False, schema=got_schema, leave_out=unnamed)
    rows = _unnamed_attributes(unnamed)
    for path in set(asked) | set(got):
        requested_value = asked.get(path)
        effective_value = got.get(path)
        if path not in asked:
            origin = DEFAULTED
        elif path in got and _same(requested_value, effective_value):
            origin = AS_REQUESTED
        else:
            origin = DIFFERS
        rows.append(
            Comparison(
                path=path,
                requested=requested_value,
                effective=effective_value,
                origin=origin,
            )
        )
    rows.sort(key=lambda row: row.path)
    return rows
