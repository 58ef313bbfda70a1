from django.urls import path

from kollega.digests import views

urlpatterns = [
    path("settings/mail/digest/", views.digest_preview, name="digest_preview"),
    path("settings/mail/digest/mail/", views.digest_preview_mail, name="digest_preview_mail"),
]
