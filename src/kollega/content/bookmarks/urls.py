from django.urls import path

from kollega.content.bookmarks import views

urlpatterns = [
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("bookmarks/save/", views.save, name="save_bookmark"),
    path("bookmarks/import/", views.import_file, name="import_bookmarks"),
    path("bookmarks/export/", views.export_file, name="export_bookmarks"),
    path("bookmarks/people/<str:username>/", views.person_bookmarks, name="person_bookmarks"),
    path(
        "bookmarks/communities/<slug:slug>/",
        views.community_bookmarks,
        name="community_bookmarks",
    ),
    path("bookmarks/<int:bookmark_id>/", views.bookmark_detail, name="bookmark"),
    path("bookmarks/<int:bookmark_id>/edit/", views.edit, name="edit_bookmark"),
    path("bookmarks/<int:bookmark_id>/delete/", views.delete, name="delete_bookmark"),
]
