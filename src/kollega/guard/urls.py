from django.urls import path

from kollega.guard import views

urlpatterns = [
    path("guard/hint/", views.hint, name="guard_hint"),
]
