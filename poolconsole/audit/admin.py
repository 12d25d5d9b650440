from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, even for superusers."""

    list_display = [
        "created_at",
        "tenant",
        "actor_name",
        "action",
        "target_repr",
        "outcome",
    ]
    list_filter = ["outcome", "tenant"]
    search_fields = ["action", "actor_name", "target_repr"]
    list_select_related = ["tenant"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
