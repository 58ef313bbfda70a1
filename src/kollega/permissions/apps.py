from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    name = "kollega.permissions"
    verbose_name = "Permissions"
