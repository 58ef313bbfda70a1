from django.apps import AppConfig


class WikisConfig(AppConfig):
    name = "kollega.content.wikis"
    label = "wikis"
    verbose_name = "Wikis"

    def ready(self) -> None:
        from kollega.content.wikis.searching import register_search_kind

        register_search_kind()
