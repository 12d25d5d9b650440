"""Tenants and the roles their members hold."""

from django.conf import settings
from django.db import models

from poolconsole.core.models import BaseModel


class Role(models.TextChoices):
    """A member's role in a tenant, from least to most powerful."""

    VIEWER = "viewer", "Viewer"
    OPERATOR = "operator", "Operator"
    ADMIN = "admin", "Admin"


ROLE_RANK = {Role.VIEWER: 1, Role.OPERATOR: 2, Role.ADMIN: 3}


def role_allows(role: str, required: str) -> bool:
    """Return whether role is at least as powerful as required."""
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(required)]


class Tenant(BaseModel):
    """An organisation whose administrators share pools and connections."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    """A user's membership of a tenant, with the role held there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    # When the user last opened this tenant's pages: the home page brings
    # them back to it after their next login.
    last_opened_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user"], name="membership_unique_user"
            )
        ]
        ordering = ["tenant__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.tenant} ({self.role})"

    def allows(self, required: str) -> bool:
        """Return whether this membership's role is at least required."""
        return role_allows(self.role, required)
