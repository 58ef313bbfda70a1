from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "kollega.mail"
    label = "mail"
    verbose_name = "Mail"
