from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "kollega.public"
    label = "public"
    verbose_name = "Public pages"
