from django.urls import path

from kollega.expertise import views

urlpatterns = [path("experts/", views.experts, name="experts")]
