from django.urls import path

from kollega.posts import views

urlpatterns = [
    path("posts/new/", views.create_post, name="create_post"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/comments/", views.add_comment, name="add_comment"),
    path("posts/<int:post_id>/recommend/", views.toggle_recommendation, name="recommend"),
    path("posts/<int:post_id>/delete/", views.remove_post, name="delete_post"),
    path("comments/<int:comment_id>/delete/", views.remove_comment, name="delete_comment"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="edit_post"),
    path("comments/<int:comment_id>/edit/", views.edit_comment, name="edit_comment"),
    path("history/<str:kind>/<int:object_id>/", views.edit_history, name="edit_history"),
]
