"""Reads of AWS connections; none of them decrypts a secret."""

from django.db.models import QuerySet

from poolconsole.tenants.models import Tenant

from .models import AwsConnection


def connection_list(
    *, tenant: Tenant, include_archived: bool = True
) -> QuerySet[AwsConnection]:
    """Return the tenant's connections by name, active ones first."""
    connections = AwsConnection.objects.filter(tenant=tenant)
    if not include_archived:
        connections = connections.filter(archived_at__isnull=True)
    return connections.order_by("archived_at", "name")


def connection_get(*, tenant: Tenant, connection_id: int) -> AwsConnection:
    """Return the tenant's connection by id, or raise AwsConnection.DoesNotExist."""
    return AwsConnection.objects.get(tenant=tenant, pk=connection_id)
