from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kollega.network"
    verbose_name = "Network"
