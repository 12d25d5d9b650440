"""Design, review, create against moto's server, and browse the pool."""

import boto3
import pytest
from django.conf import settings

from poolconsole.provisioning.models import CreateAttempt, UserPool
from tests.browser.conftest import screenshot
from tests.credentials.factories import AwsConnectionFactory
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sandbox(tenant, moto_server):
    return AwsConnectionFactory(
        tenant=tenant, name="Sandbox", region="us-east-1", endpoint_url=moto_server
    )


def sandbox_pools(url):
    client = boto3.client(
        "cognito-idp",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106
    )
    return client.list_user_pools(MaxResults=60)["UserPools"]


def test_design_review_create_and_browse(
    page, live_server, login, operator, tenant, sandbox, moto_server
):
    login("oscar")
    page.goto(f"{live_server.url}/t/{tenant.slug}/pools/new/")
    page.fill("input[name=pool_name]", "browser-customers")
    page.select_option("select[name=connection]", str(sandbox.pk))
    page.fill("textarea[name=user_pool_tags]", "team=identity\ncost:centre=42")
    page.get_by_role("button", name="Review").first.click()
    page.wait_for_load_state("networkidle")
    # The review shows the exact request, with the attempt tag poolconsole adds.
    shown = page.get_by_test_id("request-json").inner_text()
    assert "poolconsole:attempt" in shown and '"team": "identity"' in shown
    create = page.get_by_test_id("create-pool")
    create.click()
    page.wait_for_load_state("networkidle")

    pool = UserPool.objects.get()
    assert f"/created/{pool.pk}/" in page.url
    assert page.get_by_test_id("pool-id").inner_text() == pool.pool_id
    assert [p["Id"] for p in sandbox_pools(moto_server)] == [pool.pool_id]
    assert {"team": "identity", "cost:centre": "42"}.items() <= (
        pool.user_pool_tags.items()
    )
    assert "cost:centre" in page.content()

    page.goto(f"{live_server.url}/t/{tenant.slug}/created/")
    assert pool.pool_id in page.get_by_test_id("pool-list").inner_text()

    # The dashboard counts the new pool and charts its creation.
    page.goto(f"{live_server.url}/t/{tenant.slug}/")
    assert "pool.create.succeeded" in page.get_by_test_id("audit-events").inner_text()
    assert page.locator("rect.chart-bar-created").count() >= 1
    screenshot(page, "dashboard")


def test_create_after_the_session_expired_brings_the_design_back_after_login(
    page, live_server, login, operator, tenant, sandbox, moto_server
):
    login("oscar")
    design_url = f"{live_server.url}/t/{tenant.slug}/pools/new/"
    page.goto(design_url)
    page.fill("input[name=pool_name]", "typed-before-expiry")
    page.select_option("select[name=connection]", str(sandbox.pk))
    page.get_by_role("button", name="Review").first.click()
    page.wait_for_load_state("networkidle")

    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_test_id("create-pool").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "oscar")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    # Back on the design, as reviewed; nothing was created.
    assert page.url == design_url
    assert page.input_value("input[name=pool_name]") == "typed-before-expiry"
    assert page.input_value("select[name=connection]") == str(sandbox.pk)
    assert "nothing was created" in page.content()
    assert sandbox_pools(moto_server) == []
    assert not CreateAttempt.objects.exists()


def test_import_then_search_list_and_detail(
    page, live_server, login, operator, tenant, sandbox, moto_server
):
    client = boto3.client(
        "cognito-idp",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106
    )
    for name in ("imported-one", "imported-two"):
        client.create_user_pool(PoolName=name)

    login("oscar")
    page.goto(f"{live_server.url}/t/{tenant.slug}/created/")
    page.select_option("select[name=connection_id]", str(sandbox.pk))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state("networkidle")
    assert "Imported 2 new pool(s)" in page.content()

    page.fill("input[name=q]", "two")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_test_id("pool-list")
    assert "imported-two" in table.inner_text()
    assert "imported-one" not in table.inner_text()
    screenshot(page, "pool-list")

    table.get_by_role("link", name="imported-two").click()
    page.wait_for_load_state("networkidle")
    pool = UserPool.objects.get(name="imported-two")
    assert page.get_by_test_id("pool-id").inner_text() == pool.pool_id
    assert page.locator(f'[data-copy="{pool.arn}"]').count() == 1
    assert "sub" in page.get_by_test_id("schema").inner_text()
    screenshot(page, "pool-detail")
