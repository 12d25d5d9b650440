import datetime
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from poolconsole.audit.selectors import audit_weekly_counts
from poolconsole.tenants.dashboard import dashboard_summary
from tests.factories import tenant_opened
from tests.provisioning.factories import UserPoolFactory

SUCCEEDED, FAILED = "pool.create.succeeded", "pool.create.failed"


def _at(moment, record, **kwargs):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return record(**kwargs)


@pytest.mark.django_db
def test_weekly_counts_group_creations_by_week(tenant, other_tenant, record):
    now = timezone.now()
    _at(now, record, tenant=tenant, action=SUCCEEDED)
    _at(now, record, tenant=tenant, action=FAILED)
    _at(now - datetime.timedelta(weeks=2), record, tenant=tenant, action=SUCCEEDED)
    _at(now - datetime.timedelta(weeks=2), record, tenant=tenant, action=SUCCEEDED)
    _at(now - datetime.timedelta(weeks=9), record, tenant=tenant, action=FAILED)
    _at(now, record, tenant=tenant, action="pool.create.requested")
    _at(now, record, tenant=other_tenant, action=SUCCEEDED)

    weeks = audit_weekly_counts(tenant=tenant, actions=[SUCCEEDED, FAILED], weeks=8)
    assert len(weeks) == 8
    assert all(w["week"].weekday() == 0 for w in weeks)
    assert weeks[-1]["counts"] == {SUCCEEDED: 1, FAILED: 1}
    assert weeks[-3]["counts"] == {SUCCEEDED: 2, FAILED: 0}
    assert sum(sum(w["counts"].values()) for w in weeks) == 4


@pytest.mark.django_db
def test_dashboard_shows_latest_events_and_an_svg_chart_without_inline_style(
    viewer_client, tenant, user, record
):
    for i in range(12):
        record(tenant=tenant, actor=user, action=f"test.event{i}")
    record(tenant=tenant, actor=user, action=SUCCEEDED)
    record(tenant=tenant, actor=user, action=FAILED, outcome="failure")
    response = viewer_client.get(reverse("dashboard", args=[tenant.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["latest_events"]) == 10
    assert response.context["latest_events"][0].action == FAILED
    assert "test.event3" not in content  # older than the latest 10
    assert 'data-testid="creation-chart"' in content
    assert re.search(r'<rect class="chart-bar-created"[^>]*height="[1-9]', content)
    assert re.search(r'<rect class="chart-bar-failed"[^>]*height="[1-9]', content)
    assert " style=" not in content
    assert "<style" not in content
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_events(
    viewer_client, tenant, user, record
):
    url = reverse("dashboard", args=[tenant.slug])
    tenant_opened(viewer_client, tenant)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert viewer_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    record(tenant=tenant, actor=user, action=SUCCEEDED)
    few = queries()
    for i in range(60):
        record(tenant=tenant, actor=user, action=SUCCEEDED if i % 2 else FAILED)
    assert queries() == few


@pytest.mark.django_db
def test_dashboard_without_events_draws_an_empty_chart(viewer_client, tenant):
    response = viewer_client.get(reverse("dashboard", args=[tenant.slug]))
    assert response.status_code == 200
    assert response.context["creation_chart"]["total"] == 0
    assert b"No events." in response.content


@pytest.mark.django_db
def test_dashboard_shows_pools_by_status_and_open_attempts(
    viewer_client, tenant, other_tenant
):
    from django.utils import timezone

    from poolconsole.provisioning.models import AttemptStatus
    from tests.provisioning.factories import CreateAttemptFactory, UserPoolFactory

    UserPoolFactory.create_batch(2, tenant=tenant, status="Enabled")
    UserPoolFactory(tenant=tenant, status="Enabled", deleted_upstream_at=timezone.now())
    # Cognito no longer fills Status: such a pool is counted as in AWS.
    UserPoolFactory(tenant=tenant, status="")
    UserPoolFactory(tenant=other_tenant, status="Enabled")
    CreateAttemptFactory(
        tenant=tenant,
        status=AttemptStatus.UNKNOWN,
        request={"PoolName": "waiting-pool"},
    )
    CreateAttemptFactory(tenant=tenant, request={"PoolName": "failed-pool"})
    CreateAttemptFactory(
        tenant=other_tenant,
        status=AttemptStatus.PENDING,
        request={"PoolName": "theirs"},
    )
    response = viewer_client.get(reverse("dashboard", args=[tenant.slug]))
    assert response.context["pool_statuses"] == [
        ("Deleted in AWS", 1),
        ("Enabled", 2),
        ("In AWS", 1),
    ]
    content = response.content.decode()
    assert "waiting-pool" in content
    assert "failed-pool" not in content and "theirs" not in content


@pytest.mark.django_db
def test_weekly_counts_put_an_event_at_monday_midnight_in_the_week_it_opens(
    tenant, record
):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    opens = timezone.make_aware(
        datetime.datetime.combine(monday, datetime.time.min)
        - datetime.timedelta(weeks=1)
    )
    _at(opens, record, tenant=tenant, action=SUCCEEDED)
    _at(
        opens - datetime.timedelta(microseconds=1), record, tenant=tenant, action=FAILED
    )
    # An event dated after this week (a clock ahead) is in no bar.
    _at(opens + datetime.timedelta(weeks=2), record, tenant=tenant, action=FAILED)

    weeks = audit_weekly_counts(tenant=tenant, actions=[SUCCEEDED, FAILED], weeks=8)
    assert weeks[-2]["week"] == monday - datetime.timedelta(weeks=1)
    assert weeks[-2]["counts"] == {SUCCEEDED: 1, FAILED: 0}
    assert weeks[-3]["counts"] == {SUCCEEDED: 0, FAILED: 1}
    assert weeks[-1]["counts"] == {SUCCEEDED: 0, FAILED: 0}


@pytest.mark.django_db
def test_dashboard_counts_are_cached_until_the_next_audit_event(
    viewer_client, tenant, user, record
):
    url = reverse("dashboard", args=[tenant.slug])

    def bars(response):
        return [
            (b.css_class, b.title)
            for b in response.context["creation_chart"]["bars"]
            if b.height
        ]

    record(tenant=tenant, actor=user, action=SUCCEEDED)
    first = viewer_client.get(url)
    assert len(bars(first)) == 1

    with CaptureQueriesContext(connection) as cached:
        again = viewer_client.get(url)
    assert bars(again) == bars(first)
    assert not any("GROUP BY" in q["sql"] for q in cached.captured_queries)

    # A change, written with its event, shows at once: the key moved.
    record(tenant=tenant, actor=user, action=FAILED, outcome="failure")
    with CaptureQueriesContext(connection) as fresh:
        after = viewer_client.get(url)
    assert len(bars(after)) == 2
    assert any("GROUP BY" in q["sql"] for q in fresh.captured_queries)


@pytest.mark.django_db
def test_dashboard_summary_is_not_shared_between_tenants(tenant, other_tenant, record):
    UserPoolFactory(tenant=tenant, status="Enabled")
    assert dashboard_summary(tenant=tenant)["pool_statuses"] == [("Enabled", 1)]
    assert dashboard_summary(tenant=other_tenant)["pool_statuses"] == []
