from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "kollega.content.bookmarks"
    label = "bookmarks"
    verbose_name = "Bookmarks"

    def ready(self) -> None:
        from kollega.content.bookmarks.searching import register_search_kind

        register_search_kind()
