from django.contrib import admin

from kollega.audit.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read only: the trail is appended to by the product and removed from by the purge."""

    list_display = ("sequence", "at", "actor_name", "action", "target_kind", "target_id")
    list_filter = ("action",)
    search_fields = ("actor_name", "target_label")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
