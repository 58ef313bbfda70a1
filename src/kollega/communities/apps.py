from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "kollega.communities"
    verbose_name = "Communities"
