"""AWS connections of a tenant: how poolconsole reaches the tenant's account."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_scopes import ScopedManager

from poolconsole.core.models import BaseModel
from poolconsole.tenants.models import Tenant

from .validators import EndpointURLValidator


def new_external_id() -> str:
    """Return a fresh external ID for a role's trust policy."""
    return f"poolconsole-{secrets.token_hex(16)}"


ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")


class AuthMode(models.TextChoices):
    """How poolconsole authenticates to the tenant's account."""

    ASSUME_ROLE = "assume_role", "Assume a role (recommended)"
    ACCESS_KEYS = "access_keys", "Access keys"


class AwsConnection(BaseModel):
    """A tenant's AWS account and region, with encrypted credentials.

    Secret values are stored only as Fernet tokens (``*_encrypted``); they
    are read and written only through ``poolconsole.credentials.services``.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=32)
    auth_mode = models.CharField(max_length=16, choices=AuthMode.choices)
    role_arn = models.CharField(max_length=2048, blank=True)
    external_id = models.CharField(max_length=1224, default=new_external_id)
    access_key_id_encrypted = models.TextField(blank=True)
    access_key_id_last4 = models.CharField(max_length=4, blank=True)
    secret_access_key_encrypted = models.TextField(blank=True)
    session_token_encrypted = models.TextField(blank=True)
    endpoint_url = models.CharField(
        max_length=500, blank=True, validators=[EndpointURLValidator()]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True, blank=True)
    last_test_message = models.CharField(max_length=500, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"], name="awsconnection_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"

    @property
    def is_archived(self) -> bool:
        """Return whether the connection is archived (kept for history only)."""
        return self.archived_at is not None

    @property
    def has_access_keys(self) -> bool:
        """Return whether an access key pair is stored."""
        return bool(self.access_key_id_encrypted and self.secret_access_key_encrypted)

    def clean(self) -> None:
        """Check the endpoint's scheme and that the auth mode has what it needs."""
        if self.endpoint_url and not self.endpoint_url.startswith(
            ("http://", "https://")
        ):
            raise ValidationError({"endpoint_url": "Enter an http or https URL."})
        if self.auth_mode == AuthMode.ASSUME_ROLE:
            if not ROLE_ARN_RE.match(self.role_arn or ""):
                raise ValidationError(
                    {
                        "role_arn": "Enter a role ARN such as "
                        "arn:aws:iam::123456789012:role/poolconsole."
                    }
                )
        elif self.auth_mode == AuthMode.ACCESS_KEYS and not self.has_access_keys:
            raise ValidationError(
                {"access_key_id": "Enter the access key ID and secret access key."}
            )
