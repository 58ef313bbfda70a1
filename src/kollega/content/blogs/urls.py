from django.urls import path

from kollega.content.blogs import feeds, views

urlpatterns = [
    path("blogs/", views.blogs, name="blogs"),
    path("blogs/write/", views.write, name="write_entry"),
    path("blogs/people/<str:username>/", views.person_blog, name="person_blog"),
    path("blogs/people/<str:username>/feed/", feeds.person_feed, name="person_blog_feed"),
    path("blogs/communities/<slug:slug>/", views.community_blog, name="community_blog"),
    path("blogs/communities/<slug:slug>/feed/", feeds.community_feed, name="community_blog_feed"),
    path("blogs/entries/<int:entry_id>/", views.entry_detail, name="blog_entry"),
    path("blogs/entries/<int:entry_id>/edit/", views.edit, name="edit_entry"),
    path("blogs/entries/<int:entry_id>/delete/", views.delete, name="delete_entry"),
]
