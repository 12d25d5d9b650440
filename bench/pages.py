"""The pages the benchmark loads, each checked and its SQL queries counted.

Import after ``django.setup()``. Each page is a dict: ``key`` (the same at
every scale), ``page`` (its name in the table), ``path``, ``as`` (member or
superuser), ``method`` and, for a POST, the design's ``connection_id``.
"""

import re
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from bench import design, seed, web
from poolconsole.audit.models import AuditEvent
from poolconsole.audit.selectors import PAGE_SIZE as AUDIT_PAGE_SIZE
from poolconsole.provisioning.models import UserPool
from poolconsole.provisioning.views import PAGE_SIZE as POOL_PAGE_SIZE

OLDER_LINK = re.compile(r'href="(\?[^"]*cursor=[^"]*)"[^>]*data-testid="older"')
# What a POST page must (or must not) show: the review page, not the form
# again with errors; the plain form without errors.
EXPECT = {"review": design.REVIEW_MARKER}
REJECT = {"plain_post": 'class="errorlist'}


def page_body(page: dict, csrf_token: str = "") -> str | None:
    """Return the urlencoded body of a POST page, None for a GET."""
    if page["method"] != "POST":
        return None
    return design.design_body(
        connection_id=page["connection_id"],
        csrf_token=csrf_token,
        pool_name=design.POOL_NAME,
    )


def check_content(page: dict, status: int, content: bytes) -> None:
    """Raise unless the page answered 200 with what it must show."""
    text = content.decode(errors="replace")
    if status != 200:
        raise RuntimeError(f"{page['page']}: HTTP {status}")
    if EXPECT.get(page["key"], "") not in text:
        raise RuntimeError(f"{page['page']}: {EXPECT[page['key']]!r} not shown")
    if page["key"] in REJECT and REJECT[page["key"]] in text:
        raise RuntimeError(f"{page['page']}: {REJECT[page['key']]!r} shown")


def follow_older(client: Client, history: str, hops: int) -> tuple[str, int]:
    """Follow "Older" from history's first page up to hops times."""
    url, followed = history, 0
    for _ in range(hops):
        match = OLDER_LINK.search(client.get(url).content.decode())
        if not match:
            break
        url = history + match.group(1).replace("&amp;", "&")
        followed += 1
    return url, followed


def page_list(*, slug: str, cursor_url: str, followed: int) -> list[dict]:
    """Return every page to load, in the table's order."""
    with scopes_disabled():
        pool_count = UserPool.objects.count()
        pool = UserPool.objects.order_by("id")[pool_count // 2]
        event_count = AuditEvent.objects.count()
        event_id = AuditEvent.objects.order_by("id").values_list("id", flat=True)[
            event_count // 2
        ]
    last = max(1, -(-pool_count // POOL_PAGE_SIZE))
    conn_id = seed.connection_id()

    def url(name, query="", **kwargs):
        return reverse(name, kwargs={"tenant_slug": slug, **kwargs}) + query

    def page(key, name, path, **extra):
        return {"key": key, "page": name, "path": path, "as": "member", **extra}

    post = {"method": "POST", "connection_id": conn_id}
    return [
        page("reference", "reference view", url("bench_ref")),
        page("dashboard", "dashboard", url("dashboard")),
        page("pool_list", "pool list", url("provisioning:list")),
        page(
            "pool_list_search",
            "pool list: search",
            url("provisioning:list", "?q=partners"),
        ),
        page(
            "pool_list_last",
            f"pool list: page {last}",
            url("provisioning:list", f"?page={last}"),
        ),
        page("pool_detail", "pool detail", url("provisioning:detail", pool_id=pool.pk)),
        page("create_form", "create form (GET)", url("pools:new")),
        page("plain_get", "plain form+formset (GET)", url("bench_plain_design")),
        page("review", "review (POST)", url("pools:new"), **post),
        page(
            "plain_post", "plain form+formset (POST)", url("bench_plain_design"), **post
        ),
        page("history", "audit history", url("audit:list")),
        page(
            "history_filtered",
            "audit history: filtered",
            url("audit:list", "?action=pool.create.failed&actor=alice"),
        ),
        page("history_cursor", f"audit history: {followed} older", cursor_url),
        page(
            "event_detail", "audit event detail", url("audit:detail", event_id=event_id)
        ),
        page(
            "admin_changelist",
            "admin: AuditEvent changelist",
            reverse("admin:audit_auditevent_changelist"),
            **{"as": "superuser"},
        ),
    ]


def count_queries(page: dict, client: Client) -> int:
    """Return the SQL queries of one request of page, after a warm-up one."""

    def fetch():
        body = page_body(page)
        if body is None:
            return client.get(page["path"])
        return client.post(page["path"], body, content_type=web.FORM_CONTENT_TYPE)

    fetch()  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    check_content(page, response.status_code, response.content)
    return len(captured.captured_queries)


def build_pages(*, hops_wanted: int, events: int) -> tuple[list[dict], dict]:
    """Return the pages to load, each with its SQL query count.

    Counting runs Django's test client in this process against the same
    database: one warm-up request, then one under CaptureQueriesContext.
    """
    User = get_user_model()
    clients = {"member": Client(), "superuser": Client()}
    clients["member"].force_login(User.objects.get(username=seed.USERNAME))
    clients["superuser"].force_login(User.objects.get(username=seed.SUPERUSER))

    history = reverse("audit:list", kwargs={"tenant_slug": seed.TENANT_SLUG})
    pages_available = max(1, -(-events // AUDIT_PAGE_SIZE))
    hops = max(1, min(hops_wanted, pages_available // 2))
    print(f"Following 'Older' up to {hops} times ...")
    started = time.perf_counter()
    cursor_url, followed = follow_older(clients["member"], history, hops)
    facts = {"cursor_hops": followed, "cursor_follow_s": time.perf_counter() - started}

    pages = page_list(slug=seed.TENANT_SLUG, cursor_url=cursor_url, followed=followed)
    for page in pages:
        page.setdefault("method", "GET")
        page["queries"] = count_queries(page, clients[page["as"]])
    return pages, facts
