from django.contrib import admin

from kollega.provisioning.models import DirectoryLink, ScimToken
from kollega.provisioning.services.tokens import revoke_scim_token


@admin.register(DirectoryLink)
class DirectoryLinkAdmin(admin.ModelAdmin):
    """Which directory entry is which person: read here, written by provisioning only."""

    list_display = ["person", "source", "key", "linked_at", "synced_at"]
    list_filter = ["source"]
    search_fields = ["person__user__username", "person__name", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """SCIM clients' tokens (made by `kollega scim token create`): may be revoked here."""

    list_display = ["name", "created_at", "last_used_at"]
    fields = ["name", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        revoke_scim_token(obj.name)  # recorded and logged as the command's revoke is

    def delete_queryset(self, request, queryset):
        for token in queryset:
            revoke_scim_token(token.name)
