"""The provisioning pages: create, list, detail, refresh, import, attempts."""

import datetime
import html
import json
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from poolconsole.audit.models import AuditEvent
from poolconsole.pools.models import PoolDraft
from poolconsole.provisioning import services
from poolconsole.provisioning.models import (
    AttemptStatus,
    CreateAttempt,
    PoolSource,
    UserPool,
)
from poolconsole.provisioning.views import FIELD_ERRORS_SESSION_KEY
from tests.factories import TEST_PASSWORD, UserFactory, tenant_opened
from tests.pools.design_data import management, minimal_design, row

from .conftest import pool_count
from .factories import CreateAttemptFactory, UserPoolFactory
from .test_services import REQUEST, SCHEMA_REQUEST


def create_url(tenant):
    return reverse("provisioning:create", kwargs={"tenant_slug": tenant.slug})


def post_create(client, tenant, conn, request=REQUEST, key=None, **extra):
    return client.post(
        create_url(tenant),
        {
            "request_json": json.dumps(request),
            "idempotency_key": str(key or uuid.uuid4()),
            "connection_id": conn.pk,
            **extra,
        },
    )


@pytest.mark.django_db
def test_create_lands_on_the_detail_page_with_the_id(
    operator_client, tenant, connection, aws
):
    response = post_create(operator_client, tenant, connection)

    pool = UserPool.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "provisioning:detail", kwargs={"tenant_slug": tenant.slug, "pool_id": pool.pk}
    )
    page = operator_client.get(response["Location"])
    html = page.content.decode()
    assert pool.pool_id in html
    assert f'data-copy="{pool.pool_id}"' in html
    assert f'data-copy="{pool.arn}"' in html
    assert "pool.create.succeeded" in html
    # The request of the attempt that created it, beside what Cognito holds.
    assert 'data-testid="comparison"' in html
    assert "as requested" in html and "Cognito default" in html
    assert ">Nothing differs from the request: " in html
    # The standard attributes the request did not name are one row, not 140.
    assert '<td class="font-monospace small">SchemaAttributes</td>' in html
    assert "address, birthdate, email" in html
    assert "SchemaAttributes[address]" not in html
    listing = operator_client.get(
        reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    )
    assert pool.pool_id in listing.content.decode()


@pytest.mark.django_db
def test_create_twice_with_one_key_is_one_pool(
    operator_client, tenant, connection, aws
):
    key = uuid.uuid4()
    first = post_create(operator_client, tenant, connection, key=key)
    second = post_create(operator_client, tenant, connection, key=key)
    assert first["Location"] == second["Location"]
    assert CreateAttempt.objects.count() == 1
    assert pool_count(aws) == 1


@pytest.mark.django_db
def test_create_needs_an_operator(viewer_client, tenant, connection, aws):
    response = post_create(viewer_client, tenant, connection)
    assert response.status_code == 403
    assert not CreateAttempt.objects.exists()


TOO_LARGE_IDS = ["99999999999999999999", str(2**63)]


@pytest.mark.django_db
@pytest.mark.parametrize("value", TOO_LARGE_IDS)
def test_create_with_a_draft_id_too_large_for_the_database_is_an_incomplete_page(
    operator_client, tenant, connection, aws, value
):
    response = post_create(operator_client, tenant, connection, draft_id=value)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "pools:new", kwargs={"tenant_slug": tenant.slug}
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("review page was incomplete" in m for m in messages)
    assert not CreateAttempt.objects.exists()
    assert not AuditEvent.objects.exists()
    assert pool_count(aws) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("value", TOO_LARGE_IDS)
def test_create_with_a_connection_id_too_large_is_an_unknown_connection(
    operator_client, tenant, connection, aws, value
):
    # The lookup finds nothing, as for any id that is not the tenant's.
    response = post_create(operator_client, tenant, connection, connection_id=value)

    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0] == "Choose one of this tenant's AWS connections."
    assert not CreateAttempt.objects.exists()
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_create_accepts_the_largest_draft_id_the_database_holds(
    operator_client, tenant, connection, aws
):
    post_create(operator_client, tenant, connection, draft_id=str(2**63 - 1))
    assert CreateAttempt.objects.get().draft_id == 2**63 - 1


@pytest.mark.django_db
@pytest.mark.parametrize("value", TOO_LARGE_IDS)
def test_import_with_a_connection_id_too_large_is_refused(
    operator_client, tenant, connection, aws, value
):
    url = reverse("provisioning:import", kwargs={"tenant_slug": tenant.slug})
    response = operator_client.post(url, {"connection_id": value})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Choose one of this tenant's AWS connections."]


@pytest.mark.django_db
def test_failed_create_goes_back_to_the_draft_with_field_errors(
    operator_client, operator, tenant, connection, aws, faults
):
    draft = PoolDraft.objects.create(
        tenant=tenant, name="customers", payload={"pool_name": ["old name"]}
    )
    faults.reject(
        "1 validation error detected: Value 'x' at 'schema.2.member.name' "
        "failed to satisfy constraint: Member must have length less than "
        "or equal to 20"
    )
    response = post_create(
        operator_client,
        tenant,
        connection,
        request=SCHEMA_REQUEST,
        draft_id=draft.pk,
        pool_name="customers",
        connection=str(connection.pk),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "pools:draft", kwargs={"tenant_slug": tenant.slug, "draft_id": draft.pk}
    )
    session_errors = operator_client.session[FIELD_ERRORS_SESSION_KEY]
    assert list(session_errors) == ["Schema.1.Name"]
    draft.refresh_from_db()
    # The design as posted is kept in the draft, not the create fields.
    assert draft.payload["pool_name"] == ["customers"]
    assert "request_json" not in draft.payload
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("rejected a value" in m for m in messages)
    assert CreateAttempt.objects.get().status == AttemptStatus.FAILED


@pytest.mark.django_db
def test_an_aws_error_naming_an_attribute_shows_at_its_row(
    operator_client, tenant, connection, aws, faults
):
    faults.reject("custom:tier: String attributes cannot have number constraints")
    response = post_create(operator_client, tenant, connection, request=SCHEMA_REQUEST)
    page = operator_client.get(response["Location"])
    rows = page.context["formset"].forms
    assert rows[1].non_field_errors() == [
        "AWS: custom:tier: String attributes cannot have number constraints"
    ]
    assert not rows[0].errors


@pytest.mark.django_db
def test_failed_create_without_a_draft_keeps_the_design_as_one(
    operator_client, tenant, connection, aws, faults
):
    faults.throttle()
    response = post_create(operator_client, tenant, connection)
    draft = PoolDraft.objects.get()
    assert response["Location"] == reverse(
        "pools:draft", kwargs={"tenant_slug": tenant.slug, "draft_id": draft.pk}
    )
    assert draft.payload["pool_name"] == ["customers"]
    assert FIELD_ERRORS_SESSION_KEY not in operator_client.session
    follow = operator_client.get(response["Location"])
    assert "throttling" in follow.content.decode()
    assert pool_count(aws) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("status", [AttemptStatus.UNKNOWN, AttemptStatus.PENDING])
def test_create_from_a_draft_whose_last_create_is_open_is_refused(
    operator_client, tenant, connection, aws, status
):
    # The unknown outcome kept the design in this draft: creating it again
    # before the first attempt settles could make a second pool.
    draft = PoolDraft.objects.create(
        tenant=tenant, name="customers", payload={"pool_name": ["customers"]}
    )
    first = CreateAttemptFactory(
        tenant=tenant, connection=connection, draft_id=draft.pk, status=status
    )

    response = post_create(
        operator_client,
        tenant,
        connection,
        draft_id=draft.pk,
        pool_name="customers-edited",
        connection=str(connection.pk),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "provisioning:attempt",
        kwargs={"tenant_slug": tenant.slug, "attempt_id": first.pk},
    )
    assert pool_count(aws) == 0
    assert CreateAttempt.objects.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [services.OPEN_ATTEMPT_MESSAGE]
    # What the user changed on the way is kept in the draft.
    draft.refresh_from_db()
    assert draft.payload["pool_name"] == ["customers-edited"]
    page = operator_client.get(response["Location"]).content.decode()
    assert "Look for the pool now" in page


@pytest.mark.django_db
@pytest.mark.parametrize("status", [AttemptStatus.FAILED, AttemptStatus.SUCCEEDED])
def test_create_from_a_draft_whose_last_create_settled_goes_ahead(
    operator_client, tenant, connection, aws, status
):
    draft = PoolDraft.objects.create(tenant=tenant, name="customers", payload={})
    CreateAttemptFactory(
        tenant=tenant, connection=connection, draft_id=draft.pk, status=status
    )

    post_create(operator_client, tenant, connection, draft_id=draft.pk)

    assert pool_count(aws) == 1


@pytest.mark.django_db
def test_the_same_review_page_submitted_again_is_not_refused_as_open(
    operator_client, tenant, connection, aws
):
    draft = PoolDraft.objects.create(tenant=tenant, name="customers", payload={})
    key = uuid.uuid4()
    first = CreateAttemptFactory(
        tenant=tenant,
        connection=connection,
        draft_id=draft.pk,
        status=AttemptStatus.PENDING,
        idempotency_key=key,
    )

    response = post_create(
        operator_client, tenant, connection, key=key, draft_id=draft.pk
    )

    # The first submission is still with AWS: the existing message, its page.
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "already submitted" in messages[0]
    assert response["Location"].endswith(f"/{first.pk}/")
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_another_tenants_connection_is_refused(
    operator_client, tenant, other_tenant, aws
):
    from tests.credentials.factories import AwsConnectionFactory

    theirs = AwsConnectionFactory(tenant=other_tenant)
    response = post_create(operator_client, tenant, theirs)
    assert response.status_code == 302
    assert not CreateAttempt.objects.exists()
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_refresh_shows_a_pool_deleted_upstream(
    operator_client, tenant, connection, aws
):
    post_create(operator_client, tenant, connection)
    pool = UserPool.objects.get()
    aws.delete_user_pool(UserPoolId=pool.pool_id)
    response = operator_client.post(
        reverse(
            "provisioning:refresh",
            kwargs={"tenant_slug": tenant.slug, "pool_id": pool.pk},
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert 'data-testid="deleted-upstream"' in response.content.decode()


@pytest.mark.django_db
def test_import_twice_creates_no_duplicates(operator_client, tenant, connection, aws):
    aws.create_user_pool(PoolName="elsewhere")
    url = reverse("provisioning:import", kwargs={"tenant_slug": tenant.slug})
    operator_client.post(url, {"connection_id": connection.pk})
    operator_client.post(url, {"connection_id": connection.pk})
    assert UserPool.objects.get().name == "elsewhere"
    assert AuditEvent.objects.filter(action="pool.imported").count() == 1


@pytest.mark.django_db
def test_import_denied_by_aws_says_so_and_is_audited(
    operator_client, tenant, connection, faults
):
    faults.deny_reads()
    url = reverse("provisioning:import", kwargs={"tenant_slug": tenant.slug})
    response = operator_client.post(url, {"connection_id": connection.pk}, follow=True)
    assert "AccessDeniedException" in response.content.decode()
    event = AuditEvent.objects.get(action="pool.import.failed")
    assert event.outcome == "failure"
    assert event.data["code"] == "AccessDeniedException"


@pytest.mark.django_db
def test_attempt_page_shows_the_error(viewer_client, tenant, connection):
    attempt = CreateAttemptFactory(tenant=tenant, connection=connection)
    response = viewer_client.get(
        reverse(
            "provisioning:attempt",
            kwargs={"tenant_slug": tenant.slug, "attempt_id": attempt.pk},
        )
    )
    assert "ThrottlingException" in response.content.decode()


@pytest.mark.django_db
def test_list_searches_by_name_or_id(viewer_client, tenant, connection):
    UserPoolFactory(tenant=tenant, connection=connection, name="customers")
    other = UserPoolFactory(tenant=tenant, connection=connection, name="staff")
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    html = viewer_client.get(url, {"q": "CUST"}).content.decode()
    assert "customers" in html and "staff" not in html
    html = viewer_client.get(url, {"q": other.pool_id}).content.decode()
    assert "staff" in html and "customers" not in html
    detail = reverse(
        "provisioning:detail", kwargs={"tenant_slug": tenant.slug, "pool_id": other.pk}
    )
    assert f'<a href="{detail}">staff</a>' in html


@pytest.mark.django_db
def test_list_rows_show_the_connection_and_who_created_each_pool(
    viewer_client, tenant, connection
):
    creator = UserFactory(username="carol")
    created = UserPoolFactory(
        tenant=tenant, connection=connection, name="made-here", created_by=creator
    )
    imported = UserPoolFactory(
        tenant=tenant,
        connection=connection,
        name="found-there",
        source=PoolSource.IMPORTED,
        deleted_upstream_at=timezone.now(),
    )
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    html = viewer_client.get(url).content.decode()
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[1]: row
        for row in html.split("<tbody>")[1].split("<tr>")[1:]
    }
    assert f'href="{url}{created.pk}/"' in rows["made-here"]
    assert f"<td>{connection.name}</td>" in rows["made-here"]
    assert "<td>carol</td>" in rows["made-here"]
    assert "deleted in AWS" not in rows["made-here"]
    assert f'href="{url}{imported.pk}/"' in rows["found-there"]
    assert '<span class="text-body-secondary">imported</span>' in rows["found-there"]
    assert "deleted in AWS" in rows["found-there"]


@pytest.mark.django_db
def test_list_rows_come_from_the_cache_until_what_they_show_changes(
    viewer_client, tenant, connection
):
    pool = UserPoolFactory(
        tenant=tenant, connection=connection, name="before", estimated_number_of_users=7
    )
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})

    def rows():
        html = viewer_client.get(url).content.decode()
        return html.split("<tbody>")[1].split("</tbody>")[0]

    assert "before" in rows()  # rendered once, now cached
    pool.name = "after"
    pool.save()
    assert "after" in rows() and "before" not in rows()
    UserPool.objects.filter(pk=pool.pk).update(estimated_number_of_users=12345)
    assert "12345" in rows()
    connection.name = "Renamed connection"
    connection.save()
    assert "Renamed connection" in rows()
    pool.delete()
    assert "No pools yet." in rows()


@pytest.mark.django_db
def test_list_count_follows_a_created_pool(
    viewer_client, tenant, user, connection, aws
):
    for _ in range(25):
        UserPoolFactory(tenant=tenant, connection=connection)
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    assert viewer_client.get(url).context["page"].paginator.count == 25
    services.pool_create(
        tenant=tenant,
        user=user,
        connection=connection,
        request=REQUEST,
        idempotency_key=uuid.uuid4(),
    )
    response = viewer_client.get(url)
    assert response.context["page"].paginator.count == 26
    assert "Page 1 of 2" in response.content.decode()
    # A search's count is its own.
    response = viewer_client.get(url, {"q": REQUEST["PoolName"]})
    assert response.context["page"].paginator.count == 1


@pytest.mark.django_db
def test_list_sorts_and_pages(viewer_client, tenant, connection):
    for name in ["b", "a", "c"]:
        UserPoolFactory(tenant=tenant, connection=connection, name=name)
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    response = viewer_client.get(url, {"sort": "name"})
    assert [p["name"] for p in response.context["pools"]] == ["a", "b", "c"]
    response = viewer_client.get(url, {"sort": "bogus", "page": "99"})
    assert response.status_code == 200


# Query counts -------------------------------------------------------------


def _bulk_pools(tenant, connection, count):
    creator = UserFactory(username=f"creator-{count}")
    UserPool.objects.bulk_create(
        UserPoolFactory.build(tenant=tenant, connection=connection, created_by=creator)
        for _ in range(count)
    )


def _queries(client, url, tenant) -> int:
    """Return the queries of a first visit: the pools here are bulk-inserted,
    without the audit events that version the cached counts."""
    tenant_opened(client, tenant)
    cache.clear()
    with CaptureQueriesContext(db_connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_pools(operator_client, tenant, connection):
    url = reverse("provisioning:list", kwargs={"tenant_slug": tenant.slug})
    _bulk_pools(tenant, connection, 10)
    at_10 = _queries(operator_client, url, tenant)
    _bulk_pools(tenant, connection, 990)
    assert UserPool.objects.count() == 1000
    at_1000 = _queries(operator_client, url, tenant)
    assert at_10 == at_1000
    assert (
        _queries(operator_client, url + "?page=3&sort=name&q=pool", tenant) == at_1000
    )


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_the_pools(operator_client, tenant, connection):
    _bulk_pools(tenant, connection, 10)
    pool = UserPool.objects.order_by("id").first()
    CreateAttemptFactory(tenant=tenant, connection=connection, pool=pool)
    url = reverse(
        "provisioning:detail", kwargs={"tenant_slug": tenant.slug, "pool_id": pool.pk}
    )
    at_10 = _queries(operator_client, url, tenant)
    _bulk_pools(tenant, connection, 990)
    at_1000 = _queries(operator_client, url, tenant)
    assert at_10 == at_1000


@pytest.mark.django_db
def test_create_button_partial_posts_what_the_create_view_needs(
    operator_client, tenant, connection, aws
):
    import html
    import re

    from django.template.loader import render_to_string

    context = {
        "tenant": tenant,
        "connection": connection,
        "draft": None,
        "request_json": json.dumps(REQUEST, indent=2),
    }
    rendered = render_to_string("provisioning/_create_action.html", context)
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)">', rendered
        )
    }
    assert set(fields) == {
        "request_json",
        "idempotency_key",
        "connection_id",
        "draft_id",
    }
    assert f'formaction="{create_url(tenant)}"' in rendered
    again = render_to_string("provisioning/_create_action.html", context)
    assert fields["idempotency_key"] not in again  # a new key per rendered page

    response = operator_client.post(create_url(tenant), fields)
    assert response.status_code == 302
    assert UserPool.objects.get().name == "customers"


@pytest.mark.django_db
def test_unknown_outcome_leads_to_the_attempt_then_to_the_found_pool(
    operator_client, tenant, connection, aws, faults, monkeypatch
):
    from poolconsole.provisioning import services

    faults.read_timeout(created=True)
    real_reconcile = services.attempt_reconcile
    # AWS cannot be asked right after the timeout: the outcome stays unknown.
    monkeypatch.setattr(services, "attempt_reconcile", lambda **kw: kw["attempt"])
    response = post_create(operator_client, tenant, connection)

    attempt = CreateAttempt.objects.get()
    assert attempt.status == AttemptStatus.UNKNOWN
    assert response["Location"] == reverse(
        "provisioning:attempt",
        kwargs={"tenant_slug": tenant.slug, "attempt_id": attempt.pk},
    )
    page = operator_client.get(response["Location"]).content.decode()
    assert "Look for the pool now" in page
    # Kept, but not offered from here while the outcome is open.
    assert PoolDraft.objects.get().pk == attempt.draft_id
    assert "Back to the design" not in page

    monkeypatch.setattr(services, "attempt_reconcile", real_reconcile)
    response = operator_client.post(
        reverse(
            "provisioning:attempt_reconcile",
            kwargs={"tenant_slug": tenant.slug, "attempt_id": attempt.pk},
        )
    )
    pool = UserPool.objects.get()
    assert response["Location"].endswith(f"/created/{pool.pk}/")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.RECONCILED
    assert pool_count(aws) == 1


@pytest.mark.django_db
def test_looking_for_the_pool_too_early_or_without_aws_says_so(
    operator_client, tenant, connection, aws, faults, monkeypatch
):
    from poolconsole.core.exceptions import ApplicationError
    from poolconsole.provisioning import services

    faults.read_timeout(created=False)
    post_create(operator_client, tenant, connection)
    attempt = CreateAttempt.objects.get()
    assert attempt.status == AttemptStatus.UNKNOWN
    reconcile = reverse(
        "provisioning:attempt_reconcile",
        kwargs={"tenant_slug": tenant.slug, "attempt_id": attempt.pk},
    )

    page = operator_client.post(reconcile, follow=True).content.decode()
    assert "may still be creating it" in page
    assert "Look for the pool now" in page
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.UNKNOWN

    def unreachable(**kwargs):
        raise ApplicationError("poolconsole cannot reach the AWS endpoint.")

    monkeypatch.setattr(services, "cognito_client", unreachable)
    page = operator_client.post(reconcile, follow=True).content.decode()
    assert "AWS could not be asked: poolconsole cannot reach the AWS endpoint." in page
    assert pool_count(aws) == 0


# The design is kept whatever the create's outcome ---------------------------


def review_fields(client, tenant, connection, draft=None, **design):
    """Review a design as the browser does; return what "Create" posts."""
    url = (
        reverse("pools:draft", args=[tenant.slug, draft.pk])
        if draft
        else reverse("pools:new", args=[tenant.slug])
    )
    data = minimal_design(connection=str(connection.pk), **design)
    page = client.post(url, {**data, "action": "review"}).content.decode()
    form = page.split('data-testid="cli-command"')[1]
    fields = [
        (name, html.unescape(value))
        for name, value in re.findall(
            r'<input type="hidden" name="(\w+(?:-\w+)*)" value="([^"]*)">', form
        )
    ]
    assert {"request_json", "idempotency_key", "connection_id"} <= dict(fields).keys()
    return fields


def post_fields(client, tenant, fields):
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(create_url(tenant), data)


def attempt_url(name, tenant, attempt):
    return reverse(
        f"provisioning:{name}",
        kwargs={"tenant_slug": tenant.slug, "attempt_id": attempt.pk},
    )


def draft_url(tenant, draft):
    return reverse("pools:draft", args=[tenant.slug, draft.pk])


@pytest.mark.django_db
def test_unknown_create_of_a_new_design_keeps_it_for_when_it_fails(
    operator_client, tenant, connection, aws, faults
):
    faults.server_error()
    fields = review_fields(
        operator_client, tenant, connection, pool_name="Kept while unknown"
    )
    response = post_fields(operator_client, tenant, fields)

    attempt = CreateAttempt.objects.get()
    assert attempt.status == AttemptStatus.UNKNOWN
    assert response["Location"] == attempt_url("attempt", tenant, attempt)
    draft = PoolDraft.objects.get()
    assert attempt.draft_id == draft.pk
    assert draft.payload["pool_name"] == ["Kept while unknown"]
    assert draft.payload["connection"] == [str(connection.pk)]
    assert "request_json" not in draft.payload
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Kept while unknown" in m and "draft" in m for m in messages)

    # A resubmitted page finds its attempt and keeps the same draft.
    post_fields(operator_client, tenant, fields)
    assert PoolDraft.objects.get().pk == draft.pk

    # Settled as failed: the attempt page leads back to that draft.
    CreateAttempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    settled = operator_client.post(attempt_url("attempt_reconcile", tenant, attempt))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED
    page = operator_client.get(settled["Location"]).content.decode()
    assert "it is safe to try again" in page.lower()
    assert f'href="{draft_url(tenant, draft)}">Back to the design' in page
    restored = operator_client.get(draft_url(tenant, draft))
    assert restored.context["form"]["pool_name"].value() == "Kept while unknown"
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_unknown_create_of_a_draft_saves_the_reviewed_design_over_it(
    operator_client, tenant, connection, aws, faults
):
    draft = PoolDraft.objects.create(
        tenant=tenant, name="Before", payload={"pool_name": ["Before"]}
    )
    faults.server_error()
    fields = review_fields(
        operator_client, tenant, connection, draft=draft, pool_name="Edited"
    )
    post_fields(operator_client, tenant, fields)

    attempt = CreateAttempt.objects.get()
    assert attempt.status == AttemptStatus.UNKNOWN
    assert attempt.draft_id == draft.pk
    draft.refresh_from_db()
    assert PoolDraft.objects.count() == 1
    assert draft.payload["pool_name"] == ["Edited"]


@pytest.mark.django_db
def test_failed_create_of_a_new_design_records_its_draft_on_the_attempt(
    operator_client, tenant, connection, aws, faults
):
    faults.throttle()
    fields = review_fields(operator_client, tenant, connection, pool_name="Throttled")
    response = post_fields(operator_client, tenant, fields)

    draft = PoolDraft.objects.get()
    assert response["Location"] == draft_url(tenant, draft)
    attempt = CreateAttempt.objects.get()
    assert attempt.status == AttemptStatus.FAILED
    assert attempt.draft_id == draft.pk
    page = operator_client.get(attempt_url("attempt", tenant, attempt))
    assert f'href="{draft_url(tenant, draft)}">Back to the design' in (
        page.content.decode()
    )
    # Resubmitting the page goes back to the same draft, not to a copy.
    again = post_fields(operator_client, tenant, fields)
    assert again["Location"] == draft_url(tenant, draft)
    assert PoolDraft.objects.count() == 1


# A create posted after the session expired ---------------------------------


def expire_session(client):
    """Drop the session cookie, as when the session expired."""
    del client.cookies[settings.SESSION_COOKIE_NAME]


def log_in_from(client, login_url, user):
    """Log in through the login page the user was sent to; return the answer."""
    assert urlsplit(login_url).path == reverse("login")
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    return client.post(
        reverse("login"),
        {"username": user.username, "password": TEST_PASSWORD, "next": next_url},
    )


@pytest.mark.django_db
def test_create_after_the_session_expired_restores_the_review_after_login(
    client, operator, tenant, connection, aws
):
    client.force_login(operator)
    fields = review_fields(
        client,
        tenant,
        connection,
        pool_name="Reviewed before expiry",
        **management(1),
        **row(0, name="plan", attribute_data_type="String"),
    )
    expire_session(client)
    response = post_fields(client, tenant, fields)

    assert response.status_code == 302
    new_url = reverse("pools:new", args=[tenant.slug])
    login = log_in_from(client, response["Location"], operator)
    assert login["Location"] == new_url
    restored = client.get(new_url)
    assert restored.status_code == 200
    assert restored.context["form"]["pool_name"].value() == "Reviewed before expiry"
    assert restored.context["form"]["connection"].value() == str(connection.pk)
    assert restored.context["formset"].forms[0]["name"].value() == "plan"
    html_ = restored.content.decode()
    assert "Your session had expired" in html_
    assert "nothing was created" in html_
    # Nothing is created from the replayed post: the user reviews again.
    assert not CreateAttempt.objects.exists()
    assert not PoolDraft.objects.exists()
    assert pool_count(aws) == 0
    # Shown once.
    assert client.get(new_url).context["form"]["pool_name"].value() is None


@pytest.mark.django_db
def test_create_of_a_draft_after_the_session_expired_goes_back_to_the_draft(
    client, operator, tenant, connection, aws
):
    draft = PoolDraft.objects.create(
        tenant=tenant, name="Saved", payload={"pool_name": ["Saved"]}
    )
    client.force_login(operator)
    fields = review_fields(
        client, tenant, connection, draft=draft, pool_name="Edited, not saved"
    )
    expire_session(client)
    response = post_fields(client, tenant, fields)

    login = log_in_from(client, response["Location"], operator)
    assert login["Location"] == draft_url(tenant, draft)
    restored = client.get(draft_url(tenant, draft))
    assert restored.context["draft"] == draft
    assert restored.context["form"]["pool_name"].value() == "Edited, not saved"
    draft.refresh_from_db()
    assert draft.payload == {"pool_name": ["Saved"]}
    assert not CreateAttempt.objects.exists()
    assert pool_count(aws) == 0


@pytest.mark.django_db
def test_a_create_posted_without_a_login_is_kept_unchecked(
    client, tenant, connection, aws, monkeypatch
):
    # Anyone can post here: the post is only kept for after a login, so
    # Cognito's rules (the costly part) are not run for it.
    def refuse(request):
        raise AssertionError("an anonymous post was validated")

    monkeypatch.setattr("poolconsole.provisioning.forms.validate_request", refuse)
    response = post_create(
        client, tenant, connection, request={**REQUEST, "Schema": [{}] * 2000}
    )
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")
    assert not CreateAttempt.objects.exists()


@pytest.mark.django_db
def test_create_needs_a_login_to_create_anything(client, tenant, connection, aws):
    response = post_create(client, tenant, connection)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")
    assert not CreateAttempt.objects.exists()
    assert pool_count(aws) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["client", "operator_client"])
def test_a_deeply_nested_request_json_is_not_a_500(request, tenant, connection, who):
    client = request.getfixturevalue(who)
    response = client.post(
        create_url(tenant),
        {
            "request_json": "[" * 100_000,
            "idempotency_key": str(uuid.uuid4()),
            "connection_id": connection.pk,
        },
    )
    assert response.status_code == 302
    assert not CreateAttempt.objects.exists()
