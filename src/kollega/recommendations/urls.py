from django.urls import path

from kollega.recommendations import views

urlpatterns = [
    path("recommendations/", views.recommendations_page, name="recommendations"),
    path("recommendations/panel/", views.panel, name="recommendations_panel"),
    path("recommendations/dismiss/", views.dismiss, name="dismiss_recommendation"),
]
