from django.urls import path

from kollega.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/badge/", views.badge, name="notification_badge"),
    path("notifications/read/", views.read_all, name="notifications_read"),
]
