from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "kollega.listening"
    verbose_name = "Listening"
