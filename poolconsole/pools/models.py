"""Pool designs of a tenant: drafts saved while they are being written."""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from poolconsole.core.models import BaseModel
from poolconsole.tenants.models import Tenant


class PoolDraft(BaseModel):
    """An unfinished pool design: the raw form data, exactly as typed.

    ``payload`` maps each form key to its list of values (a QueryDict's
    ``lists()``), so a design that does not validate yet is kept whole.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=128)
    payload = models.JSONField(default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-updated_at"])]

    def __str__(self) -> str:
        return self.name
