from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "kollega.tags"
    verbose_name = "Tags"
