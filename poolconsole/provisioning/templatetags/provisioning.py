"""Template helpers of pool creation and pool pages."""

import datetime
import hashlib
import json
import uuid

from django import template
from django.utils import timezone

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
