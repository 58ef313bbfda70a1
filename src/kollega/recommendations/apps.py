from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "kollega.recommendations"
    verbose_name = "Recommendations"
