import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from poolconsole.audit.models import AuditEvent
from poolconsole.core.exceptions import ApplicationError
from poolconsole.tenants.models import Membership, Role
from poolconsole.tenants.services import membership_change_role, membership_remove
from tests.factories import MembershipFactory, TenantFactory, UserFactory


@pytest.mark.django_db
def test_home_redirects_to_first_tenant(admin_client, tenant):
    response = admin_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard", args=[tenant.slug])


@pytest.mark.django_db
def test_home_without_tenant_says_to_ask_an_administrator(client):
    client.force_login(UserFactory(username="loner"))
    response = client.get("/")
    assert response.status_code == 200
    assert b"Ask an administrator" in response.content


@pytest.mark.django_db
def test_dashboard_lists_only_my_tenants_in_switcher(
    admin_client, user, tenant, other_tenant
):
    third = TenantFactory(name="Charlie", slug="charlie")
    MembershipFactory(tenant=third, user=user, role=Role.VIEWER)
    content = admin_client.get(
        reverse("dashboard", args=[tenant.slug])
    ).content.decode()
    assert "Charlie" in content
    assert "Bravo" not in content


@pytest.mark.django_db
def test_viewer_posting_to_admin_page_gets_403(viewer_client, tenant):
    response = viewer_client.post(
        reverse("tenants:members", args=[tenant.slug]),
        {"identifier": "x", "role": "admin"},
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_operator_cannot_manage_members(operator_client, tenant):
    assert (
        operator_client.get(reverse("tenants:members", args=[tenant.slug])).status_code
        == 403
    )


@pytest.mark.django_db
def test_admin_adds_member_by_email_and_it_is_audited(admin_client, user, tenant):
    newcomer = UserFactory(username="nina", email="nina@example.org")
    response = admin_client.post(
        reverse("tenants:members", args=[tenant.slug]),
        {"identifier": "NINA@example.org", "role": Role.OPERATOR},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(tenant=tenant, user=newcomer)
    assert membership.role == Role.OPERATOR
    event = AuditEvent.objects.filter(tenant=tenant).first()
    assert (event.action, event.actor, event.target_id) == (
        "membership.added",
        user,
        str(membership.pk),
    )


@pytest.mark.django_db
def test_adding_unknown_user_shows_error_at_the_field(admin_client, tenant):
    response = admin_client.post(
        reverse("tenants:members", args=[tenant.slug]),
        {"identifier": "ghost", "role": "viewer"},
    )
    assert response.status_code == 200
    assert "No active user has this username or email" in response.content.decode()
    assert response.context["form"].errors["identifier"]


@pytest.mark.django_db
def test_admin_changes_role_and_removes_member(admin_client, tenant):
    member = MembershipFactory(tenant=tenant, role=Role.VIEWER)
    url = reverse("tenants:member_role", args=[tenant.slug, member.pk])
    admin_client.post(url, {"role": Role.ADMIN})
    member.refresh_from_db()
    assert member.role == Role.ADMIN
    admin_client.post(reverse("tenants:member_remove", args=[tenant.slug, member.pk]))
    assert not Membership.objects.filter(pk=member.pk).exists()
    actions = list(
        AuditEvent.objects.filter(tenant=tenant).values_list("action", flat=True)
    )
    assert actions[:2] == ["membership.removed", "membership.changed"]


@pytest.mark.django_db
def test_last_admin_cannot_leave_or_be_demoted(admin_client, user, tenant):
    mine = Membership.objects.get(user=user, tenant=tenant)
    admin_client.post(
        reverse("tenants:member_role", args=[tenant.slug, mine.pk]),
        {"role": Role.VIEWER},
    )
    mine.refresh_from_db()
    assert mine.role == Role.ADMIN
    admin_client.post(reverse("tenants:member_remove", args=[tenant.slug, mine.pk]))
    assert Membership.objects.filter(pk=mine.pk).exists()
    assert not AuditEvent.objects.filter(tenant=tenant).exists()


@pytest.mark.django_db
def test_an_admin_who_demotes_themself_lands_where_they_still_may_go(
    admin_client, user, tenant
):
    MembershipFactory(tenant=tenant, role=Role.ADMIN)  # another admin remains
    mine = Membership.objects.get(user=user, tenant=tenant)
    response = admin_client.post(
        reverse("tenants:member_role", args=[tenant.slug, mine.pk]),
        {"role": Role.OPERATOR},
        follow=True,
    )
    mine.refresh_from_db()
    assert mine.role == Role.OPERATOR
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("dashboard", args=[tenant.slug])
    assert "You are now operator here" in response.content.decode()


@pytest.mark.django_db
def test_an_admin_who_leaves_is_sent_home_not_to_a_refusal(admin_client, user, tenant):
    MembershipFactory(tenant=tenant, role=Role.ADMIN)
    mine = Membership.objects.get(user=user, tenant=tenant)
    response = admin_client.post(
        reverse("tenants:member_remove", args=[tenant.slug, mine.pk]), follow=True
    )
    assert not Membership.objects.filter(pk=mine.pk).exists()
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("home")
    assert f"You left {tenant}." in response.content.decode()


@pytest.mark.django_db
def test_tenant_view_without_required_role_fails_closed():
    from poolconsole.tenants.views import TenantViewMixin

    assert TenantViewMixin.required_role == Role.ADMIN


@pytest.mark.django_db
def test_home_brings_the_user_back_to_the_tenant_they_used_last(client, user, tenant):
    # "Alpha" comes first by name; the user last worked in "Zulu".
    zulu = TenantFactory(name="Zulu", slug="zulu")
    MembershipFactory(tenant=zulu, user=user, role=Role.VIEWER)
    client.force_login(user)
    assert client.get("/")["Location"] == reverse("dashboard", args=[tenant.slug])

    assert client.get(reverse("dashboard", args=["zulu"])).status_code == 200
    assert client.get("/")["Location"] == reverse("dashboard", args=["zulu"])

    # The next day, after logging out and in again: still Zulu.
    client.post(reverse("logout"))
    client.force_login(user)
    assert client.get("/")["Location"] == reverse("dashboard", args=["zulu"])

    # Once no longer a member there, the first tenant again.
    Membership.objects.filter(tenant=zulu, user=user).delete()
    assert client.get("/")["Location"] == reverse("dashboard", args=[tenant.slug])


@pytest.mark.django_db
def test_browsing_within_a_tenant_notes_it_once_per_session(admin_client, user, tenant):
    dashboard = reverse("dashboard", args=[tenant.slug])
    admin_client.get(dashboard)
    membership = Membership.objects.get(user=user, tenant=tenant)
    first = membership.last_opened_at
    assert first is not None
    admin_client.get(dashboard)
    membership.refresh_from_db()
    assert membership.last_opened_at == first


@pytest.mark.django_db
def test_a_tenant_the_user_cannot_open_is_not_remembered(
    admin_client, user, tenant, other_tenant
):
    admin_client.get(reverse("dashboard", args=[tenant.slug]))
    assert (
        admin_client.get(reverse("dashboard", args=[other_tenant.slug])).status_code
        == 404
    )
    assert admin_client.get("/")["Location"] == reverse("dashboard", args=[tenant.slug])
    assert admin_client.session["opened_tenant_id"] == tenant.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the row locks matter on PostgreSQL",
)
@pytest.mark.parametrize("change", ["demote", "remove"])
def test_two_admins_leaving_at_once_leave_one_admin(change):
    tenant = TenantFactory(slug="race")
    admins = [
        MembershipFactory(tenant=tenant, user=UserFactory(), role=Role.ADMIN)
        for _ in range(2)
    ]
    barrier, refused = threading.Barrier(2), []

    def leave(membership):
        try:
            barrier.wait()
            if change == "demote":
                membership_change_role(
                    membership=membership, role=Role.VIEWER, actor=membership.user
                )
            else:
                membership_remove(membership=membership, actor=membership.user)
        except ApplicationError as exc:
            refused.append(exc.message)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=leave, args=(m,)) for m in admins]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert refused == ["A tenant needs at least one admin."]
    assert Membership.objects.filter(tenant=tenant, role=Role.ADMIN).count() == 1
