"""Record events that Django signals rather than our services report."""

from django.contrib.auth import get_user_model
from django.db import transaction

from poolconsole.tenants.models import Membership

from .models import Outcome
from .services import audit_record


def audit_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """Record ``login.failed`` in every tenant the named user is a member of.

    Only the username is kept: ``credentials`` holds the (masked) password
    and must not reach the trail. An unknown username is not recorded; it
    concerns no tenant.
    """
    User = get_user_model()
    username = (credentials or {}).get(User.USERNAME_FIELD)
    if not isinstance(username, str) or not username:
        return
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        return
    memberships = Membership.objects.filter(user=user).select_related("tenant")
    with transaction.atomic():
        for membership in memberships:
            audit_record(
                tenant=membership.tenant,
                action="login.failed",
                target=user,
                target_type="user",
                target_repr=user.get_username(),
                data={"username": user.get_username()},
                outcome=Outcome.FAILURE,
                request=request,
            )
