from django.apps import AppConfig


class BlogsConfig(AppConfig):
    name = "kollega.content.blogs"
    label = "blogs"
    verbose_name = "Blogs"

    def ready(self) -> None:
        from kollega.content.blogs.searching import register_search_kind

        register_search_kind()
