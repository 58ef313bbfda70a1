from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kollega.ops"
    label = "ops"
    verbose_name = "Operations"
