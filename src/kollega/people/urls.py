from django.urls import path

from kollega.people import views

urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("people/<str:username>/tags/", views.tag_person, name="tag_person"),
    path("people/<str:username>/tags/<str:tag>/remove/", views.remove_tag, name="remove_tag"),
    path("people/<str:username>/avatar.svg", views.avatar, name="avatar"),
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("tags/<str:name>/", views.tag_page, name="tag"),
]
