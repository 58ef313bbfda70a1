from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class InsightsConfig(AppConfig):
    name = "kollega.insights"
    verbose_name = "Insights"

    def ready(self):
        # Each app's `insights.py` registers its own panels (see insights.panels).
        autodiscover_modules("insights")
