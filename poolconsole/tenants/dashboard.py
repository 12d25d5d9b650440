"""The dashboard's summary: pools by status and the weekly creations chart.

Both are counts over big tables (a grouped COUNT over every pool, and over
the last weeks' events: 20 ms at 10,000 pools and a million events on
SQLite), read on every visit of the landing page. They only change when a
pool or an event is written, so the summary is cached until the tenant's
next audit event (``audit_selectors.cached_until_next_event``).
"""

import datetime

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


def dashboard_summary(*, tenant: Tenant) -> dict:
    """Return ``pool_statuses`` and ``creation_chart`` of the tenant."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return audit_selectors.cached_until_next_event(
        tenant=tenant,
        key=f"dashboard:{monday.isoformat()}:{timezone.get_current_timezone_name()}",
        compute=lambda: _compute(tenant=tenant),
    )


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
