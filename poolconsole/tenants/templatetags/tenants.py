"""Template helpers of the tenant switcher."""

from django import template

register = template.Library()


@register.filter
def memberships_key(memberships) -> str:
    """Return what the navbar shows of memberships: part of its cache key."""
    return "|".join(
        f"{m.tenant_id}:{m.tenant.slug}:{m.tenant.name}:{m.role}" for m in memberships
    )
