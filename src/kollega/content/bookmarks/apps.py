from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "kollega.content.bookmarks"
    label = "bookmarks"
    verbose_name = "Bookmarks"
