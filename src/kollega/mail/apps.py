from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "kollega.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self):
        from kollega.mail import checks  # noqa: F401  (registers the system checks)
