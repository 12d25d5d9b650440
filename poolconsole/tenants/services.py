"""Changes to tenants and memberships, each with its audit event."""

from django.db import transaction
from django.utils import timezone

from poolconsole.audit.services import audit_record
from poolconsole.core.exceptions import ApplicationError

from .models import Membership, Role, Tenant


def tenant_create(*, name: str, slug: str) -> Tenant:
    """Create and return a tenant."""
    tenant = Tenant(name=name, slug=slug)
    tenant.full_clean()
    tenant.save()
    return tenant


def _lock_memberships(tenant_id: int) -> None:
    """Take the tenant's row lock, which serialises changes to its members.

    Two admins demoting or removing each other at once would otherwise each
    count the other as the admin left, and leave the tenant with none: the
    lock on the changed membership alone does not stop that (PostgreSQL).
    """
    Tenant.objects.select_for_update().filter(pk=tenant_id).first()


def _admins_left(tenant: Tenant, *, without: Membership) -> int:
    return (
        Membership.objects.filter(tenant=tenant, role=Role.ADMIN)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def membership_add(
    *, tenant: Tenant, user, role: str, actor, request=None
) -> Membership:
    """Make user a member of tenant with role, and audit it."""
    if Membership.objects.filter(tenant=tenant, user=user).exists():
        raise ApplicationError(
            f"{user.get_username()} is already a member.", field="user"
        )
    membership = Membership(tenant=tenant, user=user, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action="membership.added",
        target=membership,
        target_repr=user.get_username(),
        data={"user": user.get_username(), "role": role},
        request=request,
    )
    return membership


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, actor, request=None
) -> Membership:
    """Give membership a new role, keeping at least one admin, and audit it."""
    _lock_memberships(membership.tenant_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old = membership.role
    if old == role:
        return membership
    if old == Role.ADMIN and _admins_left(membership.tenant, without=membership) == 0:
        raise ApplicationError("A tenant needs at least one admin.", field="role")
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        tenant=membership.tenant,
        actor=actor,
        action="membership.changed",
        target=membership,
        target_repr=membership.user.get_username(),
        data={"user": membership.user.get_username(), "from": old, "to": role},
        request=request,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor, request=None) -> None:
    """Remove a member from the tenant, keeping at least one admin, and audit it."""
    _lock_memberships(membership.tenant_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        membership.role == Role.ADMIN
        and _admins_left(membership.tenant, without=membership) == 0
    ):
        raise ApplicationError("A tenant needs at least one admin.")
    username = membership.user.get_username()
    audit_record(
        tenant=membership.tenant,
        actor=actor,
        action="membership.removed",
        target=membership,
        target_repr=username,
        data={"user": username, "role": membership.role},
        request=request,
    )
    membership.delete()


# Session key of the tenant whose pages the session opened last.
OPENED_TENANT_SESSION_KEY = "opened_tenant_id"


def membership_opened(*, membership: Membership, session) -> None:
    """Note that the user opened membership's tenant, for their next login.

    One UPDATE when a session enters a tenant (the session remembers it), so
    browsing within a tenant writes nothing. Not audited: like a login time,
    it changes nothing anyone can do.
    """
    if session.get(OPENED_TENANT_SESSION_KEY) == membership.tenant_id:
        return
    Membership.objects.filter(pk=membership.pk).update(last_opened_at=timezone.now())
    session[OPENED_TENANT_SESSION_KEY] = membership.tenant_id
