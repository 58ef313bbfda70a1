from django.urls import path

from kollega.audit import views

urlpatterns = [
    path("audit/", views.trail, name="audit"),
    path("audit/export.csv", views.export_trail, {"fmt": "csv"}, name="audit_export_csv"),
    path("audit/export.json", views.export_trail, {"fmt": "json"}, name="audit_export_json"),
]
