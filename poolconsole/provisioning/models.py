"""Create attempts and the user pools that exist in a tenant's AWS account."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django_scopes import ScopedManager

from poolconsole.core.models import BaseModel
from poolconsole.credentials.models import AwsConnection
from poolconsole.pools.requests import OWN_TAG_PREFIX
from poolconsole.pools.validation import is_custom_name
from poolconsole.tenants.models import Tenant

# Between the name and the id in UserPool.search_text: a character neither
# holds, so a search can't match across the two.
SEARCH_SEPARATOR = "\x1f"

# The tag every pool poolconsole creates carries: the attempt's key, so a
# pool whose creation had an unknown outcome can be found again.
ATTEMPT_TAG = f"{OWN_TAG_PREFIX}attempt"


class AttemptStatus(models.TextChoices):
    """Where a create attempt stands."""

    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    RECONCILED = "reconciled", "Reconciled"
    UNKNOWN = "unknown", "Outcome unknown"


OPEN_STATUSES = (AttemptStatus.PENDING, AttemptStatus.UNKNOWN)
DONE_STATUSES = (AttemptStatus.SUCCEEDED, AttemptStatus.RECONCILED)


class PoolSource(models.TextChoices):
    """How poolconsole came to know a pool."""

    CREATED = "created", "Created by poolconsole"
    IMPORTED = "imported", "Imported"


class UserPool(BaseModel):
    """A Cognito user pool as AWS last described it, kept in full.

    Each response key has its own field; ``raw_response`` keeps the
    response itself (datetimes as ISO strings), so nothing AWS said is lost.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    connection = models.ForeignKey(
        AwsConnection, on_delete=models.PROTECT, related_name="user_pools"
    )
    attempt = models.OneToOneField(
        "CreateAttempt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_pool",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        max_length=16, choices=PoolSource.choices, default=PoolSource.CREATED
    )

    pool_id = models.CharField("pool id", max_length=55)
    name = models.CharField(max_length=128)
    arn = models.CharField("ARN", max_length=2048, blank=True)
    region = models.CharField(max_length=32)
    status = models.CharField(max_length=32, blank=True)
    creation_date = models.DateTimeField(null=True, blank=True)
    last_modified_date = models.DateTimeField(null=True, blank=True)
    estimated_number_of_users = models.PositiveIntegerField(null=True, blank=True)
    domain = models.CharField(max_length=255, blank=True)
    custom_domain = models.CharField(max_length=255, blank=True)
    deletion_protection = models.CharField(max_length=16, blank=True)
    user_pool_tier = models.CharField(max_length=16, blank=True)

    policies = models.JSONField(default=dict, blank=True)
    lambda_config = models.JSONField(default=dict, blank=True)
    schema_attributes = models.JSONField(default=list, blank=True)
    auto_verified_attributes = models.JSONField(default=list, blank=True)
    alias_attributes = models.JSONField(default=list, blank=True)
    username_attributes = models.JSONField(default=list, blank=True)
    username_configuration = models.JSONField(default=dict, blank=True)
    verification_message_template = models.JSONField(default=dict, blank=True)
    account_recovery_setting = models.JSONField(default=dict, blank=True)
    user_attribute_update_settings = models.JSONField(default=dict, blank=True)
    user_pool_add_ons = models.JSONField(default=dict, blank=True)

    sms_verification_message = models.TextField(blank=True)
    email_verification_message = models.TextField(blank=True)
    email_verification_subject = models.TextField(blank=True)
    sms_authentication_message = models.TextField(blank=True)

    mfa_configuration = models.CharField(max_length=16, blank=True)
    device_configuration = models.JSONField(default=dict, blank=True)
    email_configuration = models.JSONField(default=dict, blank=True)
    sms_configuration = models.JSONField(default=dict, blank=True)
    sms_configuration_failure = models.TextField(blank=True)
    email_configuration_failure = models.TextField(blank=True)
    admin_create_user_config = models.JSONField(default=dict, blank=True)
    user_pool_tags = models.JSONField(default=dict, blank=True)

    raw_response = models.JSONField(default=dict, blank=True)
    # What the list's search matches on PostgreSQL, lowercased by the
    # database, so the search is a plain LIKE on one column that has
    # statistics and an index (selectors._search).
    search_text = models.GeneratedField(
        expression=Lower(Concat("name", models.Value(SEARCH_SEPARATOR), "pool_id")),
        output_field=models.TextField(),
        db_persist=True,
    )
    deleted_upstream_at = models.DateTimeField(null=True, blank=True)
    last_refreshed_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["-creation_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "pool_id"], name="userpool_unique_per_connection"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "name", "id"], name="userpool_tenant_name"),
            models.Index(
                fields=["tenant", "-creation_date", "-id"],
                name="userpool_tenant_created",
            ),
            models.Index(fields=["tenant", "pool_id"], name="userpool_tenant_poolid"),
            # The list's search ("name or id contains") scans one of these
            # narrow indexes instead of the wide rows: SQLite the first
            # (4.2 -> 1.6 ms at 10,000 pools), PostgreSQL the second
            # (selectors._search). The tenant is not first, so the planners
            # never prefer them to the indexes above for sorted pages.
            models.Index(
                fields=["name", "pool_id", "tenant", "creation_date"],
                name="userpool_search",
            ),
            models.Index(
                fields=["search_text", "tenant", "creation_date"],
                name="userpool_search_text",
            ),
            models.Index(
                fields=["tenant", "estimated_number_of_users", "id"],
                name="userpool_tenant_users",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pool_id})"

    @property
    def is_deleted_upstream(self) -> bool:
        """Return whether AWS said the pool no longer exists."""
        return self.deleted_upstream_at is not None

    @property
    def standard_attributes(self) -> list[dict]:
        """Return the schema attributes Cognito defines itself."""
        return [a for a in self.schema_attributes if not _is_custom(a)]

    @property
    def custom_attributes(self) -> list[dict]:
        """Return the schema attributes the pool's designer added."""
        return [a for a in self.schema_attributes if _is_custom(a)]


def _is_custom(attribute: dict) -> bool:
    return is_custom_name(str(attribute.get("Name", "")))


class CreateAttempt(BaseModel):
    """One submission of a reviewed design to ``CreateUserPool``.

    The idempotency key is unique: a double click, a resubmitted page or a
    second tab of the same review page finds this attempt instead of
    calling AWS again.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    connection = models.ForeignKey(
        AwsConnection, on_delete=models.PROTECT, related_name="create_attempts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.UUIDField()
    request = models.JSONField()
    status = models.CharField(
        max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.PENDING
    )
    error_kind = models.CharField(max_length=32, blank=True)
    error_code = models.CharField(max_length=128, blank=True)
    error_message = models.TextField(blank=True)
    field_errors = models.JSONField(default=dict, blank=True)
    draft_id = models.PositiveBigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    pool = models.ForeignKey(
        UserPool,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attempts",
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="createattempt_unique_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["tenant", "-started_at"], name="attempt_tenant_started"
            ),
            models.Index(
                fields=["status", "started_at"], name="attempt_status_started"
            ),
        ]

    def __str__(self) -> str:
        return f"create {self.pool_name} ({self.get_status_display()})"

    @property
    def pool_name(self) -> str:
        """Return the name the attempt asked for."""
        return str((self.request or {}).get("PoolName", ""))

    @property
    def is_open(self) -> bool:
        """Return whether the attempt's outcome is not settled yet."""
        return self.status in OPEN_STATUSES
