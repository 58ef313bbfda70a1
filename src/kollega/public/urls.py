"""The only addresses a visitor reaches without signing in (besides signing in itself)."""

from django.urls import path

from kollega.public import views

urlpatterns = [
    path("public/<str:username>/", views.profile, name="public_profile"),
    path("public/<str:username>/photo/", views.photo, name="public_photo"),
    path("public/<str:username>/blog/", views.blog, name="public_blog"),
    path("public/<str:username>/blog/feed/", views.feed, name="public_feed"),
    path("public/<str:username>/blog/<int:entry_id>/", views.entry, name="public_entry"),
]
