"""Template context for the navbar's tenant switcher."""

from django.utils.functional import SimpleLazyObject

from .selectors import user_memberships


def tenants(request):
    """Add the user's memberships (lazily) and the current tenant."""
    user = getattr(request, "user", None)
    memberships = getattr(request, "user_memberships", None)
    return {
        # TenantMiddleware has read them on tenant pages; elsewhere, lazily.
        "user_memberships": memberships
        if memberships is not None
        else SimpleLazyObject(lambda: user_memberships(user=user) if user else []),
        "current_tenant": getattr(request, "tenant", None),
        "current_membership": getattr(request, "membership", None),
    }
