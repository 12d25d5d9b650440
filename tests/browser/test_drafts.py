"""The drafts tables in a real browser."""

import pytest

from poolconsole.pools.models import PoolDraft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["pools/", "pools/drafts/"])
def test_the_export_menu_of_a_draft_is_not_cut_off_by_its_table(
    page, live_server, login, user, tenant, path
):
    PoolDraft.objects.create(tenant=tenant, name="Only draft", payload={})
    login("alice")
    page.goto(f"{live_server.url}/t/{tenant.slug}/{path}")
    page.get_by_test_id("drafts").get_by_role("button", name="Export").click()
    for name in ["CLI input JSON", "CloudFormation (YAML)", "Terraform (HCL)"]:
        item = page.get_by_role("link", name=name)
        item.wait_for(state="visible")
        # What is at the middle of the item is the item: nothing clips or covers it.
        assert item.evaluate(
            """a => {
              const r = a.getBoundingClientRect();
              const x = r.x + r.width / 2, y = r.y + r.height / 2;
              return a.contains(document.elementFromPoint(x, y));
            }"""
        ), name
