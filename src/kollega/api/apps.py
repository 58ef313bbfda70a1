from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kollega.api"
    verbose_name = "Api"
