from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "kollega.posts"
    verbose_name = "Boards and posts"
