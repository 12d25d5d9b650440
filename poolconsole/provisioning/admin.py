from django.contrib import admin

from .models import CreateAttempt, UserPool


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Let superusers look across tenants; changes go through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UserPool)
class UserPoolAdmin(_ReadOnlyAdmin):
    list_display = ["name", "pool_id", "tenant", "connection", "region", "source"]
    list_filter = ["source", "region", "tenant"]
    search_fields = ["name", "pool_id", "arn"]
    list_select_related = ["tenant", "connection"]


@admin.register(CreateAttempt)
class CreateAttemptAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "tenant", "status", "error_code", "started_at"]
    list_filter = ["status", "tenant"]
    search_fields = ["idempotency_key", "error_code"]
    list_select_related = ["tenant"]
