"""The dashboard's summary: pools by status and the weekly creations chart.

Both are counts over big tables (a grouped COUNT over every pool, and over
the last weeks' events: 20 ms at 10,000 pools and a million events on
SQLite), read on every visit of the landing page. They only change when a
pool or an event is written, and every such write appends an audit event in
the same transaction (``audit_record``), which moves the tenant's chain head.
So the summary is cached under the head's hash: exact, never stale.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

from poolconsole.audit import charts as audit_charts
from poolconsole.audit import selectors as audit_selectors
from poolconsole.provisioning import selectors as pool_selectors
from poolconsole.tenants.models import Tenant

CHART_SERIES = [
    audit_charts.Series(
        action="pool.create.succeeded",
        label="Pools created",
        css_class="chart-bar-created",
    ),
    audit_charts.Series(
        action="pool.create.failed",
        label="Failed creations",
        css_class="chart-bar-failed",
    ),
]
WEEKS = 8
# An entry outlives its use only until the next event; bound what idle
# tenants keep.
TIMEOUT_S = 3600


def dashboard_summary(*, tenant: Tenant) -> dict:
    """Return ``pool_statuses`` and ``creation_chart`` of the tenant."""
    head = audit_selectors.audit_head(tenant=tenant)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    key = (
        f"dashboard:{tenant.pk}:{head}:{monday.isoformat()}:"
        f"{timezone.get_current_timezone_name()}"
    )
    summary = cache.get(key)
    if summary is None:
        summary = _compute(tenant=tenant)
        cache.set(key, summary, TIMEOUT_S)
    return summary


def _compute(*, tenant: Tenant) -> dict:
    weeks = audit_selectors.audit_weekly_counts(
        tenant=tenant, actions=[s.action for s in CHART_SERIES], weeks=WEEKS
    )
    return {
        "pool_statuses": pool_selectors.pool_status_counts(tenant=tenant),
        "creation_chart": audit_charts.weekly_bar_chart(
            weeks=weeks, series=CHART_SERIES
        ),
    }
