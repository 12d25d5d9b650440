"""Template helpers of pool creation and pool pages."""

import datetime
import hashlib
import json
import uuid
from collections import Counter

from django import template
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from poolconsole.core.markup import escape, join_markup
from poolconsole.provisioning.selectors import AS_REQUESTED, DEFAULTED, DIFFERS

register = template.Library()


@register.simple_tag
def new_idempotency_key() -> str:
    """Return a fresh idempotency key for one rendered review page."""
    return str(uuid.uuid4())


@register.filter
def as_json(value) -> str:
    """Return value as indented JSON for display."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


@register.filter
def short_json(value) -> str:
    """Return value as compact JSON, or a dash when it is empty."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value, datetime.UTC):%Y-%m-%d %H:%M:%S} UTC"
    return json.dumps(value, ensure_ascii=False, default=str)


@register.filter
def list_rows_key(pools) -> str:
    """Return a digest of pools, the list's rows (``selectors.pool_page``):
    the cache key of their rendered HTML.

    A row is a dict of every column the list shows and nothing else, so the
    rows render again as soon as anything they show changes (a rename, a
    refresh, the connection's new name). 25 rows were the largest part of
    the page's time (issue 7).
    """
    return hashlib.sha256(repr(pools).encode()).hexdigest()


# The pool page's tables, built in Python (poolconsole.core.markup): a pool
# page shows about 200 values (nine groups, the schema, the requested vs
# effective comparison), and Django's templates spent 3.5 of the page's
# 8 ms on them (issue 7, make bench).

NOT_SET_ROW = '<tr><td class="text-body-secondary">Not set.</td></tr>'
ORIGIN_BADGES = {AS_REQUESTED: "success", DEFAULTED: "info"}
DIFFERS_STRESS = " text-danger-emphasis fw-semibold"


@register.simple_tag
def value_rows(rows) -> SafeString:
    """Return the table rows of a group's (label, value) pairs."""
    if not rows:
        return join_markup([NOT_SET_ROW])
    return join_markup(
        '<tr><th scope="row" class="w-50 fw-normal text-body-secondary">'
        f"{escape(label)}</th>"
        f'<td class="text-break">{escape(short_json(value))}</td></tr>'
        for label, value in rows
    )


@register.simple_tag
def schema_rows(attributes, kind: str) -> SafeString:
    """Return the schema table's rows of attributes, each marked kind."""
    color = "primary" if kind == "custom" else "secondary"
    badge = f'<span class="badge text-bg-{color}">{escape(kind)}</span>'
    return join_markup(
        f'<tr><td class="font-monospace">{escape(a.get("Name", ""))}</td>'
        f"<td>{badge}</td><td>{escape(a.get('AttributeDataType', ''))}</td>"
        f"<td>{yesno(a.get('Mutable'))}</td><td>{yesno(a.get('Required'))}</td>"
        f"<td>{yesno(a.get('DeveloperOnlyAttribute'))}</td>"
        '<td class="small">'
        + escape(
            short_json(
                a.get("StringAttributeConstraints")
                or a.get("NumberAttributeConstraints")
            )
        )
        + "</td></tr>"
        for a in attributes
    )


@register.simple_tag
def comparison_summary(comparison) -> SafeString:
    """Return the paragraph that counts the comparison's rows by origin.

    It leads with what differs from the request, stressed when anything does.
    """
    counts = Counter(row.origin for row in comparison)
    differ = counts[DIFFERS]
    if not differ:
        lead, stress = "Nothing differs from the request", ""
    elif differ == 1:
        lead, stress = "1 value differs from the request", DIFFERS_STRESS
    else:
        lead, stress = f"{differ} values differ from the request", DIFFERS_STRESS
    return format_html(
        '<p class="mb-1{}" data-testid="comparison-summary">{}: {} as requested, '
        "{} chosen by Cognito.</p>",
        stress,
        lead,
        counts[AS_REQUESTED],
        counts[DEFAULTED],
    )


@register.simple_tag
def comparison_rows(comparison) -> SafeString:
    """Return the requested vs effective table's rows."""
    return join_markup(
        f'<tr><td class="font-monospace small">{escape(row.path)}</td>'
        f'<td class="small text-break">{escape(short_json(row.requested))}</td>'
        f'<td class="small text-break">{escape(short_json(row.effective))}</td>'
        '<td><span class="badge text-bg-'
        f'{ORIGIN_BADGES.get(row.origin, "warning")}">{escape(row.origin)}</span>'
        "</td></tr>"
        for row in comparison
    )
