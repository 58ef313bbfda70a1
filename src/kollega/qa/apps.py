from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "kollega.qa"
    verbose_name = "Questions and answers"
