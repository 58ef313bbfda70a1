"""Sources and watch terms are managed here by staff (a page of their own comes later)."""

from django.contrib import admin

from kollega.listening.models import ExternalAccount, Item, Mention, Source, Term


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "url", "target", "last_polled_at", "consecutive_errors"]
    list_filter = ["kind"]
    search_fields = ["name", "url", "target"]
    readonly_fields = [
        "etag", "last_modified", "since_id", "last_polled_at", "last_success_at", "last_error",
        "last_notes", "consecutive_errors", "next_poll_at",
    ]  # fmt: skip


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "owner_person", "owner_community"]
    list_filter = ["kind"]
    search_fields = ["phrase"]
    raw_id_fields = ["owner_person", "owner_community"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published", "first_seen_at"]
    list_filter = ["source"]
    search_fields = ["title", "external_id"]
    raw_id_fields = ["source"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["item", "term", "state", "assignee", "created_at", "closed_at"]
    list_filter = ["state", "term"]
    raw_id_fields = ["item", "term", "assignee", "post"]


@admin.register(ExternalAccount)
class ExternalAccountAdmin(admin.ModelAdmin):
    list_display = ["address", "kind", "person", "created_at"]
    list_filter = ["kind"]
    search_fields = ["address", "person__name"]
    raw_id_fields = ["person", "source"]
