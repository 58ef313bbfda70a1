from django.apps import AppConfig


class WikisConfig(AppConfig):
    name = "kollega.content.wikis"
    label = "wikis"
    verbose_name = "Wikis"
