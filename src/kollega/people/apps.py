from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kollega.people"
    verbose_name = "People"
