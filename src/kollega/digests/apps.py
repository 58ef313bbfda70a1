from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "kollega.digests"
    label = "digests"
    verbose_name = "Digests"
