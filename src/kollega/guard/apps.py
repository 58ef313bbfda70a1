from django.apps import AppConfig


class GuardConfig(AppConfig):
    name = "kollega.guard"
    verbose_name = "Share guard"
