from django.contrib import admin
from django.db import models

from .models import AwsConnection


@admin.register(AwsConnection)
class AwsConnectionAdmin(admin.ModelAdmin):
    """Read-only, and without any secret field, even encrypted.

    Changes go through the tenant's connection pages, whose services audit
    them; the admin only lets superusers look across tenants.
    """

    exclude = [
        "access_key_id_encrypted",
        "secret_access_key_encrypted",
        "session_token_encrypted",
    ]
    list_display = [
        "name",
        "tenant",
        "region",
        "auth_mode",
        "access_key_id_last4",
        "last_test_ok",
        "archived_at",
    ]
    list_filter = ["auth_mode", "region", "tenant"]
    search_fields = ["name", "tenant__name", "role_arn"]
    list_select_related = ["tenant"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
