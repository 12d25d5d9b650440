"""Reads of pool designs."""

from django.db.models import QuerySet

from poolconsole.tenants.models import Tenant

from .models import PoolDraft


def draft_list(*, tenant: Tenant) -> QuerySet[PoolDraft]:
    """Return the tenant's drafts, most recently changed first."""
    return PoolDraft.objects.filter(tenant=tenant).select_related("author")


def draft_get(*, tenant: Tenant, draft_id: int) -> PoolDraft:
    """Return the tenant's draft by id, or raise PoolDraft.DoesNotExist."""
    return PoolDraft.objects.select_related("author").get(tenant=tenant, pk=draft_id)
