from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kollega.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from kollega.search import documents, signals

        documents.register_builtin_kinds()
        signals.connect()
