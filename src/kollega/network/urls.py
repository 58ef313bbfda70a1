from django.urls import path

from kollega.network import views

urlpatterns = [
    path("network/", views.network_page, name="network"),
    path("people/<str:username>/invite/", views.invite, name="invite"),
    path("people/<str:username>/remove-contact/", views.remove, name="remove_contact"),
    path("people/<str:username>/follow/", views.follow, name="follow_person"),
    path("invitations/<int:invitation_id>/<str:answer>/", views.answer, name="answer_invitation"),
    path("tags/<str:name>/follow/", views.follow_tag, name="follow_tag"),
]
