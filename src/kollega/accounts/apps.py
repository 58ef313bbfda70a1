from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kollega.accounts"
    verbose_name = _("Sign-in and sessions")

    def ready(self):
        from kollega.accounts import signals  # noqa: F401
