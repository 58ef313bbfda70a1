from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PostsConfig(AppConfig):
    name = "kollega.posts"
    verbose_name = "Boards and posts"

    def ready(self) -> None:
        from kollega.posts import triggers

        post_migrate.connect(triggers.ensure, sender=self, dispatch_uid="posts_activity_triggers")
