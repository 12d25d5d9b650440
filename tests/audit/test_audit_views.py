import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from poolconsole.audit.models import AuditEvent, Outcome
from poolconsole.audit.selectors import PAGE_SIZE
from poolconsole.provisioning.models import AttemptStatus
from tests.credentials.factories import AwsConnectionFactory
from tests.factories import tenant_opened
from tests.provisioning.factories import CreateAttemptFactory, UserPoolFactory


def _content(response) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.mark.django_db
def test_audit_list_shows_events_and_filters_by_action_prefix(
    viewer_client, tenant, user, record
):
    record(tenant=tenant, actor=user, action="pool.create.requested")
    record(tenant=tenant, actor=user, action="pool.create.failed", outcome="failure")
    record(tenant=tenant, actor=user, action="connection.created")
    url = reverse("audit:list", args=[tenant.slug])

    everything = viewer_client.get(url)
    assert everything.status_code == 200
    assert len(everything.context["page"].events) == 3
    for event in everything.context["page"].events:
        detail = reverse("audit:detail", args=[tenant.slug, event.pk])
        assert f'<a href="{detail}">' in everything.content.decode()

    prefix = viewer_client.get(url, {"action": "pool.create"})
    assert [e.action for e in prefix.context["page"].events] == [
        "pool.create.failed",
        "pool.create.requested",
    ]
    exact = viewer_client.get(url, {"action": "connection.created"})
    assert [e.action for e in exact.context["page"].events] == ["connection.created"]


@pytest.mark.django_db
def test_audit_list_filters_by_actor_outcome_target_and_dates(
    viewer_client, tenant, user, viewer, record
):
    mine = record(tenant=tenant, actor=user, target_type="pool", target_id=7)
    record(tenant=tenant, actor=viewer, outcome=Outcome.FAILURE)
    url = reverse("audit:list", args=[tenant.slug])
    day = mine.created_at.date().isoformat()

    def ids(**params):
        return [e.pk for e in viewer_client.get(url, params).context["page"].events]

    assert ids(actor="alice") == [mine.pk]
    assert ids(outcome="success") == [mine.pk]
    assert ids(target="pool:7") == [mine.pk]
    assert len(ids(date_from=day, date_to=day)) == 2
    assert ids(date_from="2000-01-01", date_to="2000-01-02") == []
    # The last day a browser's date picker offers has no next day.
    assert len(ids(date_from="0001-01-01", date_to="9999-12-31")) == 2


@pytest.mark.django_db
def test_exports_take_the_last_date_a_date_input_offers(viewer_client, tenant, record):
    event = record(tenant=tenant)
    params = {"date_from": "0001-01-01", "date_to": "9999-12-31"}
    for name in ("audit:export_csv", "audit:export_jsonl"):
        response = viewer_client.get(reverse(name, args=[tenant.slug]), params)
        assert response.status_code == 200
        assert str(event.pk) in _content(response)


@pytest.mark.django_db
def test_audit_list_rejects_a_malformed_target_without_listing(
    viewer_client, tenant, record
):
    record(tenant=tenant)
    response = viewer_client.get(
        reverse("audit:list", args=[tenant.slug]), {"target": "pool"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["target"]
    assert response.context["page"].events == []


@pytest.mark.django_db
def test_audit_list_pages_by_cursor_both_ways(viewer_client, tenant, record):
    events = [record(tenant=tenant, action=f"test.n{i}") for i in range(PAGE_SIZE + 5)]
    url = reverse("audit:list", args=[tenant.slug])

    first = viewer_client.get(url).context["page"]
    assert [e.pk for e in first.events] == [e.pk for e in events[::-1][:PAGE_SIZE]]
    assert first.newer_cursor is None and first.older_cursor

    second = viewer_client.get(url, {"cursor": first.older_cursor}).context["page"]
    assert [e.pk for e in second.events] == [e.pk for e in events[4::-1]]
    assert second.older_cursor is None and second.newer_cursor

    back = viewer_client.get(url, {"cursor": second.newer_cursor}).context["page"]
    assert [e.pk for e in back.events] == [e.pk for e in first.events]
    assert back.newer_cursor is None


@pytest.mark.django_db
def test_audit_list_ignores_a_garbled_cursor(viewer_client, tenant, record):
    record(tenant=tenant)
    response = viewer_client.get(
        reverse("audit:list", args=[tenant.slug]), {"cursor": "%%%not-base64"}
    )
    assert response.status_code == 200
    assert len(response.context["page"].events) == 1


def _history_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _bulk_events(tenant, user, count: int, start_seq: int) -> None:
    """Insert count events fast; their hashes are irrelevant to paging."""
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                tenant=tenant,
                seq=start_seq + i,
                created_at=now,
                actor=user,
                actor_name=user.username,
                action="pool.create.requested",
                target_type="pool",
                target_id=str(i),
                data={"i": i},
                prev_hash="0" * 64,
                hash="0" * 64,
            )
            for i in range(count)
        ),
        batch_size=5000,
    )


@pytest.mark.django_db
def test_audit_list_query_count_is_the_same_at_10_and_100000_events(
    viewer_client, tenant, user, record
):
    url = reverse("audit:list", args=[tenant.slug])
    tenant_opened(viewer_client, tenant)
    for i in range(10):
        record(tenant=tenant, actor=user, target_type="pool", target_id=i)
    at_10 = _history_queries(viewer_client, url)
    _bulk_events(tenant, user, 99_990, start_seq=11)
    assert AuditEvent.objects.filter(tenant=tenant).count() == 100_000
    at_100k = _history_queries(viewer_client, url)
    assert len(at_10) == len(at_100k)
    assert not any("COUNT(" in sql.upper() for sql in at_100k)
    page = viewer_client.get(url).context["page"]
    older = _history_queries(viewer_client, f"{url}?cursor={page.older_cursor}")
    assert len(older) == len(at_100k)
    filtered = _history_queries(viewer_client, f"{url}?actor={user.username}")
    assert len(filtered) == len(at_100k)


@pytest.mark.django_db
def test_audit_detail_shows_pretty_escaped_json(viewer_client, tenant, record):
    event = record(
        tenant=tenant,
        data={
            "request": {"name": "<script>alert(1)</script>"},
            "response": {"Id": "eu-west-1_abc"},
        },
    )
    response = viewer_client.get(reverse("audit:detail", args=[tenant.slug, event.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "{\n  &quot;Id&quot;: &quot;eu-west-1_abc&quot;\n}" in content


@pytest.mark.django_db
def test_audit_detail_of_another_tenants_event_is_404(
    viewer_client, tenant, other_tenant, record
):
    theirs = record(tenant=other_tenant)
    url = reverse("audit:detail", args=[tenant.slug, theirs.pk])
    assert viewer_client.get(url).status_code == 404
    assert viewer_client.post(url).status_code == 404


@pytest.mark.django_db
def test_audit_list_does_not_show_another_tenants_events(
    viewer_client, tenant, other_tenant, record
):
    record(tenant=other_tenant, action="secret.of.bravo")
    content = viewer_client.get(reverse("audit:list", args=[tenant.slug])).content
    assert b"secret.of.bravo" not in content


@pytest.mark.django_db
def test_exports_match_the_filtered_list(
    viewer_client, tenant, other_tenant, user, record
):
    for i in range(7):
        record(
            tenant=tenant,
            actor=user,
            action="pool.create.failed" if i % 2 else "draft.saved",
            data={"n": i, "name": "=HYPERLINK(1)"},
        )
    record(tenant=other_tenant, action="pool.create.failed")
    params = {"action": "pool.create"}
    listed = viewer_client.get(reverse("audit:list", args=[tenant.slug]), params)
    listed_ids = [e.pk for e in listed.context["page"].events]
    assert len(listed_ids) == 3

    csv_response = viewer_client.get(
        reverse("audit:export_csv", args=[tenant.slug]), params
    )
    assert csv_response.streaming
    assert "attachment" in csv_response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_content(csv_response))))
    assert [int(r["id"]) for r in rows] == listed_ids
    assert all(r["data"].startswith("{") for r in rows)

    jsonl_response = viewer_client.get(
        reverse("audit:export_jsonl", args=[tenant.slug]), params
    )
    assert jsonl_response.streaming
    lines = [json.loads(line) for line in _content(jsonl_response).splitlines()]
    assert [line["id"] for line in lines] == listed_ids
    assert lines[0]["data"]["name"] == "=HYPERLINK(1)"


@pytest.mark.django_db
def test_csv_export_defuses_spreadsheet_formulas(viewer_client, tenant, record):
    record(tenant=tenant, target_type="pool", target_repr="=cmd|'/c calc'!A1")
    rows = list(
        csv.DictReader(
            io.StringIO(
                _content(
                    viewer_client.get(reverse("audit:export_csv", args=[tenant.slug]))
                )
            )
        )
    )
    assert rows[0]["target_repr"] == "'=cmd|'/c calc'!A1"


@pytest.mark.django_db
def test_export_is_not_audited_and_rejects_bad_filters(viewer_client, tenant, record):
    from poolconsole.audit.models import AuditEvent

    record(tenant=tenant)
    url = reverse("audit:export_jsonl", args=[tenant.slug])
    _content(viewer_client.get(url))
    assert AuditEvent.objects.filter(tenant=tenant).count() == 1
    assert viewer_client.get(url, {"date_from": "nope"}).status_code == 400


@pytest.mark.django_db
def test_audit_detail_shows_data_without_request_or_response(
    viewer_client, tenant, record
):
    event = record(tenant=tenant, data={"error_code": "InvalidParameterException"})
    response = viewer_client.get(reverse("audit:detail", args=[tenant.slug, event.pk]))
    assert response.context["sections"] == []
    assert "InvalidParameterException" in response.context["data_json"]


@pytest.mark.django_db
def test_exports_write_every_column_of_an_event(viewer_client, tenant, user, record):
    event = record(
        tenant=tenant,
        actor=user,
        action="pool.create.failed",
        target_type="userpool",
        target_id=4,
        target_repr="customers",
        data={"b": 1, "a": "é"},
        outcome=Outcome.FAILURE,
    )
    expected = {
        "id": event.pk,
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_name": "alice",
        "action": "pool.create.failed",
        "target_type": "userpool",
        "target_id": "4",
        "target_repr": "customers",
        "outcome": "failure",
        "ip": None,
        "user_agent": "",
        "data": {"b": 1, "a": "é"},
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    jsonl = viewer_client.get(reverse("audit:export_jsonl", args=[tenant.slug]))
    assert json.loads(_content(jsonl)) == expected

    csv_response = viewer_client.get(reverse("audit:export_csv", args=[tenant.slug]))
    (row,) = csv.DictReader(io.StringIO(_content(csv_response)))
    assert row == {
        **{k: str(v) for k, v in expected.items()},
        "ip": "",
        "data": '{"a": "é", "b": 1}',
    }


@pytest.mark.django_db
def test_exports_hand_the_server_chunks_of_many_lines(
    viewer_client, tenant, record, monkeypatch
):
    monkeypatch.setattr("poolconsole.audit.exports.LINES_PER_CHUNK", 3)
    for _ in range(7):
        record(tenant=tenant)
    response = viewer_client.get(reverse("audit:export_csv", args=[tenant.slug]))
    chunks = [chunk.decode() for chunk in response.streaming_content]
    # The header, then 3 + 3 + 1 rows.
    assert [chunk.count("\n") for chunk in chunks] == [1, 3, 3, 1]


@pytest.mark.django_db
def test_cached_rows_are_those_of_the_listed_events(viewer_client, tenant, record):
    first = record(tenant=tenant, action="test.alpha", outcome=Outcome.SUCCESS)
    middle = record(tenant=tenant, action="test.beta", outcome=Outcome.FAILURE)
    last = record(tenant=tenant, action="test.alpha", outcome=Outcome.SUCCESS)
    url = reverse("audit:list", args=[tenant.slug])

    # Two lists with the same first and last event, and the same length
    # apart from the middle one: each shows its own rows.
    alphas = viewer_client.get(url, {"action": "test.alpha"}).content.decode()
    everything = viewer_client.get(url).content.decode()
    assert "test.beta" not in alphas
    assert "test.beta" in everything
    assert everything.count("<tr>") == alphas.count("<tr>") + 1
    detail = reverse("audit:detail", args=[tenant.slug, middle.pk])
    assert f'<a href="{detail}">' in everything
    assert {first.pk, last.pk} <= {
        e.pk for e in viewer_client.get(url).context["page"].events
    }


@pytest.mark.django_db
def test_audit_list_filters_by_pool_id_or_name_with_its_attempts(
    viewer_client, tenant, other_tenant, record
):
    pool = UserPoolFactory(tenant=tenant, name="Customers")
    other = UserPoolFactory(tenant=tenant, name="staff")
    attempt = CreateAttemptFactory(tenant=tenant, connection=pool.connection, pool=pool)
    created = record(tenant=tenant, target=pool, action="pool.create.succeeded")
    requested = record(tenant=tenant, target=attempt, action="pool.create.requested")
    record(tenant=tenant, target=other, action="pool.refreshed")
    # Another tenant's pool of the same name is not this one.
    foreign = UserPoolFactory(tenant=other_tenant, name="Customers")
    record(tenant=other_tenant, target=foreign, action="pool.refreshed")
    url = reverse("audit:list", args=[tenant.slug])

    def ids(**params):
        response = viewer_client.get(url, params)
        return [e.pk for e in response.context["page"].events], response

    for text in (pool.pool_id, "customers", " Customers "):
        assert ids(pool=text)[0] == [requested.pk, created.pk]
    assert ids(pool=pool.pool_id, action="pool.create.requested")[0] == [requested.pk]
    listed, response = ids(pool="nobody")
    assert listed == []
    assert response.context["form"].errors["pool"] == [
        "No pool or create attempt of this tenant has that id or name."
    ]
    assert ids(pool=foreign.pool_id)[0] == []

    export = viewer_client.get(
        reverse("audit:export_csv", args=[tenant.slug]), {"pool": "customers"}
    )
    rows = list(csv.DictReader(io.StringIO(_content(export))))
    assert [int(r["id"]) for r in rows] == [requested.pk, created.pk]


@pytest.mark.django_db
def test_audit_list_finds_failed_creates_by_the_pool_name_they_asked_for(
    viewer_client, tenant, other_tenant, record
):
    # A failed create made no pool: its attempt is found by the name it sent.
    connection = AwsConnectionFactory(tenant=tenant)
    failed = CreateAttemptFactory(
        tenant=tenant,
        connection=connection,
        request={"PoolName": "Never made"},
        status=AttemptStatus.FAILED,
    )
    requested = record(tenant=tenant, target=failed, action="pool.create.requested")
    refused = record(tenant=tenant, target=failed, action="pool.create.failed")
    record(tenant=tenant, action="test.unrelated")
    theirs = CreateAttemptFactory(
        tenant=other_tenant,
        connection=AwsConnectionFactory(tenant=other_tenant),
        request={"PoolName": "Never made"},
    )
    record(tenant=other_tenant, target=theirs, action="pool.create.requested")

    response = viewer_client.get(
        reverse("audit:list", args=[tenant.slug]), {"pool": "never MADE"}
    )
    assert not response.context["form"].errors
    assert [e.pk for e in response.context["page"].events] == [
        refused.pk,
        requested.pk,
    ]


@pytest.mark.django_db
def test_pool_detail_links_to_the_pools_full_history(viewer_client, tenant):
    pool = UserPoolFactory(tenant=tenant)
    page = viewer_client.get(
        reverse("provisioning:detail", args=[tenant.slug, pool.pk])
    ).content.decode()
    history = reverse("audit:list", args=[tenant.slug])
    assert f'href="{history}?pool={pool.pool_id}"' in page
