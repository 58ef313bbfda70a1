from django.conf import settings
from django.urls import path

from kollega.people import views

urlpatterns = [
    path("people/", views.directory, name="directory"),
    # Not under people/<username>/: a colleague may be called "pick".
    path("pick/people/", views.pick_people, name="pick_people"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("people/<str:username>/tags/", views.tag_person, name="tag_person"),
    path("people/<str:username>/tags/<str:tag>/remove/", views.remove_tag, name="remove_tag"),
    path("people/<str:username>/avatar.svg", views.avatar, name="avatar"),
    # Where `Person.photo.url` points (MEDIA_URL + "photos/"): the one file route, checked.
    path(f"{settings.MEDIA_URL.lstrip('/')}photos/<str:name>", views.photo, name="person_photo"),
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("settings/privacy/", views.privacy, name="privacy"),
    path("settings/data/", views.my_data, name="my_data"),
    path("settings/data/download/", views.download_my_data, name="download_my_data"),
    path("settings/data/delete/", views.delete_my_account, name="delete_my_account"),
    path("tags/<str:name>/", views.tag_page, name="tag"),
]
