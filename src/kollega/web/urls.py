from django.urls import path

from kollega.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("stream/more/", views.stream_more, name="stream_more"),
    path("stream/newer/", views.stream_newer, name="stream_newer"),
]
