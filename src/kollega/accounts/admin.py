from django.contrib import admin

from kollega.accounts.forms import AdminSignInForm
from kollega.accounts.models import SignedInSession, SignInAttempt


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    """Failed and refused sign-ins, for the operator: read, never edited."""

    list_display = ["at", "username", "address", "outcome", "counts", "browser"]
    list_filter = ["outcome", "counts"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignedInSession)
class SignedInSessionAdmin(admin.ModelAdmin):
    list_display = ["person", "signed_in_at", "last_seen_at", "address", "browser"]
    search_fields = ["person__user__username", "address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The admin's own sign-in page says when sign-in is paused, like the site's.
admin.site.login_form = AdminSignInForm
