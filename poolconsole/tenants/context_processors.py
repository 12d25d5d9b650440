"""Template context for the navbar's tenant switcher."""

from django.utils.functional import SimpleLazyObject

from .selectors import membership_list_for_user


def tenants(request):
    """Add the user's memberships (lazily) and the current tenant."""
    user = getattr(request, "user", None)
    return {
        "user_memberships": SimpleLazyObject(
            lambda: list(membership_list_for_user(user=user)) if user else []
        ),
        "current_tenant": getattr(request, "tenant", None),
        "current_membership": getattr(request, "membership", None),
    }
