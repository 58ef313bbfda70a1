from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kollega.people"
    verbose_name = "People"

    def ready(self):
        from kollega.people import directory

        directory.connect_signals()
