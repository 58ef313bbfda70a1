from django.apps import AppConfig


class BlogsConfig(AppConfig):
    name = "kollega.content.blogs"
    label = "blogs"
    verbose_name = "Blogs"
