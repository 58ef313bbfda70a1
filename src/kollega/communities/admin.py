from django.contrib import admin

from kollega.communities.models import (
    Community,
    CommunityInvitation,
    Membership,
    MembershipEvent,
    MembershipRequest,
    ModerationLog,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by", "pinned_post", "tags"]
    inlines = [MembershipInline]


@admin.register(MembershipRequest, CommunityInvitation)
class PendingAdmin(admin.ModelAdmin):
    list_display = ["community", "person", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["community", "person"]


@admin.register(MembershipEvent)
class MembershipEventAdmin(admin.ModelAdmin):
    list_display = ["community", "actor", "what", "person", "created_at"]
    list_filter = ["what"]
    raw_id_fields = ["community", "actor", "person"]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["community", "moderator", "what", "author", "reason", "created_at"]
    raw_id_fields = ["community", "moderator", "author"]
