from django.contrib import admin

from kollega.mail.models import Delivery


class FailingFilter(admin.SimpleListFilter):
    title = "failing"
    parameter_name = "failing"

    def lookups(self, request, model_admin):
        return [("yes", "Failing (retried, given up or skipped)")]

    def queryset(self, request, queryset):
        return queryset.failing() if self.value() == "yes" else queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Outbound mail for the operator: what failed and why. Read, never edited."""

    list_display = [
        "created_at", "recipient", "address", "kind", "status", "attempts",
        "next_attempt_at", "last_error",
    ]  # fmt: skip
    list_filter = [FailingFilter, "status", "kind"]
    search_fields = ["address", "recipient__user__username", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    exclude = ["html"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
