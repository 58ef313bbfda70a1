from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kollega.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from kollega.ops import checks  # noqa: F401  (registers the system checks)
