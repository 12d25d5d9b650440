"""The append-only, hash-chained audit trail of every tenant."""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from poolconsole.tenants.models import Tenant


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class Outcome(models.TextChoices):
    """How the recorded action ended."""

    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    PENDING = "pending", "Pending"


class AuditEventQuerySet(models.QuerySet):
    """Refuse bulk changes: the audit trail is append-only."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    _raw_delete = delete


class AuditEvent(models.Model):
    """One recorded action: who did what to which target, and how it ended.

    Events of a tenant form a chain: ``prev_hash`` is the ``hash`` of the
    tenant's previous event (``seq`` - 1), and ``hash`` is SHA-256 over the
    canonical JSON of the event with ``prev_hash``. Only
    ``poolconsole.audit.services.audit_record`` writes events.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # DO_NOTHING without a database constraint: deleting a user must not
        # touch the append-only rows; actor_name keeps the history readable.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=128, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(
        max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ScopedManager(
        tenant="tenant", _manager_class=models.Manager.from_queryset(AuditEventQuerySet)
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "seq"], name="auditevent_unique_seq"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "-id"], name="audit_tenant_id"),
            models.Index(
                fields=["tenant", "action", "-id"], name="audit_tenant_action"
            ),
            models.Index(fields=["tenant", "actor", "-id"], name="audit_tenant_actor"),
            # The history page filters by the actor's name snapshot, which
            # survives the user's deletion.
            models.Index(
                fields=["tenant", "actor_name", "-id"], name="audit_tenant_actor_name"
            ),
            models.Index(
                fields=["tenant", "outcome", "-id"], name="audit_tenant_outcome"
            ),
            models.Index(
                fields=["tenant", "target_type", "target_id", "-id"],
                name="audit_tenant_target",
            ),
            models.Index(fields=["tenant", "created_at"], name="audit_tenant_created"),
            # The dashboard's weekly counts of two actions.
            models.Index(
                fields=["tenant", "action", "created_at"],
                name="audit_tenant_action_time",
            ),
        ]

    def __str__(self) -> str:
        who = self.actor_name or "system"
        return f"{self.action} by {who} at {self.created_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditChain(models.Model):
    """The head of a tenant's audit chain, locked while an event is appended.

    It also records the last sequence number and hash, so removing the newest
    events is detected like any other break.
    """

    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="+")
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain of {self.tenant} at {self.last_seq}"
