from django.contrib import admin

from kollega.posts.models import Comment, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["author", "board_owner", "audience", "created_at", "comment_count"]
    list_filter = ["audience"]
    search_fields = ["body", "author__name"]
    raw_id_fields = ["author", "board_owner", "tags"]
    readonly_fields = ["body_html"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author", "post", "created_at"]
    raw_id_fields = ["author", "post"]
