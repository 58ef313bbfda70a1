from django.urls import path

from kollega.communities import views
from kollega.qa import views as qa_views

urlpatterns = [
    path("communities/", views.directory, name="communities"),
    path("communities/new/", views.create, name="create_community"),
    path("communities/<slug:slug>/", views.community_page, name="community"),
    path("communities/<slug:slug>/more/", views.stream_more, name="community_more"),
    path("communities/<slug:slug>/members/", views.members, name="community_members"),
    path("communities/<slug:slug>/log/", views.log, name="community_log"),
    path("communities/<slug:slug>/edit/", views.edit, name="edit_community"),
    path(
        "communities/<slug:slug>/questions/",
        qa_views.community_questions,
        name="community_questions",
    ),
    path("communities/<slug:slug>/<str:action>/", views.act, name="community_action"),
    path(
        "communities/<slug:slug>/posts/<int:post_id>/remove/",
        views.moderate_post,
        name="community_remove_post",
    ),
    path(
        "communities/<slug:slug>/comments/<int:comment_id>/remove/",
        views.moderate_comment,
        name="community_remove_comment",
    ),
]
