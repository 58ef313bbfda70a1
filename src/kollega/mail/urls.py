from django.urls import path

from kollega.mail import views

urlpatterns = [
    path("settings/mail/", views.mail_settings, name="mail_settings"),
    path("mail/unsubscribe/<str:token>/", views.unsubscribe, name="mail_unsubscribe"),
]
