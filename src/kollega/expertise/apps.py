from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "kollega.expertise"
    label = "expertise"
    verbose_name = "Expertise"

    def ready(self) -> None:
        from kollega.expertise import signals

        signals.connect()
