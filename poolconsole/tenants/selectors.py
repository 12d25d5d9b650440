"""Reads of tenants and memberships."""

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet

from .models import Membership, Tenant


def membership_list_for_user(*, user) -> QuerySet[Membership]:
    """Return the user's memberships with their tenants, by tenant name."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return membership_list_for_user_id(user_id=user.pk)


def membership_list_for_user_id(*, user_id) -> QuerySet[Membership]:
    """Return the memberships of the user with this id, with their tenants,
    by tenant name (MembershipModelBackend adds the user)."""
    return (
        Membership.objects.filter(user_id=user_id)
        .select_related("tenant")
        .order_by("tenant__name")
    )


def user_memberships(*, user) -> list[Membership]:
    """Return the user's memberships, by tenant name: those
    MembershipModelBackend read with the user for this request, else read now."""
    read = getattr(user, "memberships_read", None)
    if read is not None:
        return read
    return list(membership_list_for_user(user=user))


def membership_to_open(*, user) -> Membership | None:
    """Return the membership of the tenant the user opened last, or their
    first by tenant name; None for a user of no tenant."""
    return (
        membership_list_for_user(user=user)
        .order_by(F("last_opened_at").desc(nulls_last=True), "tenant__name")
        .first()
    )


def membership_list(*, tenant: Tenant) -> QuerySet[Membership]:
    """Return the tenant's memberships with their users."""
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user")
        .order_by("user__username")
    )


def membership_get(*, tenant: Tenant, membership_id: int) -> Membership:
    """Return the tenant's membership by id, or raise Membership.DoesNotExist."""
    return Membership.objects.select_related("user").get(
        tenant=tenant, pk=membership_id
    )


def user_find(*, identifier: str):
    """Return the active user whose username or email is identifier, or None."""
    User = get_user_model()
    identifier = identifier.strip()
    user = User.objects.filter(username__iexact=identifier, is_active=True).first()
    if user is None and "@" in identifier:
        matches = list(
            User.objects.filter(email__iexact=identifier, is_active=True)[:2]
        )
        user = matches[0] if len(matches) == 1 else None
    return user
