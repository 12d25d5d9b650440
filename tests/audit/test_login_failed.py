import json

import pytest
from django.urls import reverse

from poolconsole.audit.models import AuditEvent, Outcome
from tests.factories import MembershipFactory, TenantFactory, UserFactory

WRONG_PASSWORD = "not-the-password-canary-42"


@pytest.mark.django_db
def test_failed_login_of_a_member_is_audited_in_each_of_their_tenants(
    client, user, tenant, other_tenant
):
    MembershipFactory(tenant=other_tenant, user=user)
    TenantFactory(slug="charlie")  # not alice's: gets nothing
    client.post(
        reverse("login"),
        {"username": "alice", "password": WRONG_PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="curl/8",
    )
    events = list(AuditEvent.objects.filter(action="login.failed"))
    assert sorted(e.tenant.slug for e in events) == ["alpha", "bravo"]
    event = events[0]
    assert event.outcome == Outcome.FAILURE
    assert event.actor is None
    assert (event.target_type, event.target_id) == ("user", str(user.pk))
    assert (event.ip, event.user_agent) == ("203.0.113.9", "curl/8")
    assert event.data == {"username": "alice"}
    assert WRONG_PASSWORD not in json.dumps(event.data)
    assert "password" not in json.dumps(event.data)


@pytest.mark.django_db
def test_failed_login_of_unknown_or_tenantless_user_is_not_audited(client, tenant):
    UserFactory(username="loner")
    for username in ("loner", "ghost"):
        client.post(
            reverse("login"), {"username": username, "password": WRONG_PASSWORD}
        )
    assert not AuditEvent.objects.exists()
