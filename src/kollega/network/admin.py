from django.contrib import admin

from kollega.network.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    raw_id_fields = ["sender", "recipient"]
