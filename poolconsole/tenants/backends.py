"""The authentication backend: a session's user, read with their memberships."""

from django.contrib.auth.backends import ModelBackend

from .selectors import membership_list_for_user_id


class MembershipModelBackend(ModelBackend):
    """Django's ``ModelBackend``, reading the user and their memberships at once.

    Every tenant page needs both: the user, and their memberships for the
    tenant check and the navbar's switcher (``TenantMiddleware``). One
    query joins them instead of two. The user is checked as ``ModelBackend``
    checks them (``user_can_authenticate``), and ``django.contrib.auth``
    still verifies the session's hash of their password. A user of no
    tenant is read alone, as ``ModelBackend`` reads them.
    """

    def get_user(self, user_id):
        memberships = list(
            membership_list_for_user_id(user_id=user_id).select_related("user")
        )
        if not memberships:
            user = super().get_user(user_id)
        else:
            user = memberships[0].user
            for membership in memberships:
                membership.user = user
            if not self.user_can_authenticate(user):
                user = None
        if user is not None:
            # Read in this request with the user: never staler than the user.
            user.memberships_read = memberships
        return user
