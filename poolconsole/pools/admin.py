from django.contrib import admin

from .models import PoolDraft


@admin.register(PoolDraft)
class PoolDraftAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "author", "updated_at"]
    list_filter = ["tenant"]
    readonly_fields = ["created_at", "updated_at"]
