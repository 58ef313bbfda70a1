from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


class PostsConfig(AppConfig):
    name = "kollega.posts"
    verbose_name = "Boards and posts"

    def ready(self) -> None:
        from kollega.posts import triggers

        post_migrate.connect(triggers.ensure, sender=self, dispatch_uid="posts_activity_triggers")
        from kollega.posts.editing import forget_comment_edits
        from kollega.posts.models import Comment

        # A post's edits go with it (a foreign key); a comment deleted alone takes its own.
        post_delete.connect(forget_comment_edits, sender=Comment, dispatch_uid="comment_edits")
