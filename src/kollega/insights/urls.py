from django.urls import path

from kollega.insights import views

urlpatterns = [
    path("insights/", views.dashboard, name="insights"),
    path("insights/<slug:panel>/<slug:chart>.csv", views.chart_csv, name="insights_csv"),
]
