from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kollega.search"
    label = "search"
    verbose_name = "Search"
