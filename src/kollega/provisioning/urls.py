"""SCIM 2.0 (RFC 7644) at /scim/v2/: Entra ID, Okta and others push people and departments."""

from django.urls import path

from kollega.provisioning import views

urlpatterns = [
    path("scim/v2/ServiceProviderConfig", views.service_provider_config, name="scim_config"),
    path("scim/v2/ResourceTypes", views.resource_types, name="scim_resource_types"),
    path("scim/v2/ResourceTypes/<str:name>", views.resource_types, name="scim_resource_type"),
    path("scim/v2/Schemas", views.schemas, name="scim_schemas"),
    path("scim/v2/Schemas/<str:name>", views.schemas, name="scim_schema"),
    path("scim/v2/Users", views.users, name="scim_users"),
    path("scim/v2/Users/<str:resource_id>", views.user, name="scim_user"),
    path("scim/v2/Groups", views.groups, name="scim_groups"),
    path("scim/v2/Groups/<str:resource_id>", views.group, name="scim_group"),
]
