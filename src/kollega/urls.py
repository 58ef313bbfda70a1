from django.contrib import admin
from django.urls import include, path

from kollega.api.urls import api
from kollega.web import views as web_views

# Uploaded files have no address of their own (no /media/ route): each is answered by
# the view that checks who may have it (wiki attachments, photos; see kollega.web.files).
urlpatterns = [
    path("", include("kollega.web.urls")),
    path("", include("kollega.people.urls")),
    path("", include("kollega.network.urls")),
    path("", include("kollega.posts.urls")),
    path("", include("kollega.notifications.urls")),
    path("", include("kollega.mail.urls")),
    path("", include("kollega.digests.urls")),
    path("", include("kollega.communities.urls")),
    path("", include("kollega.qa.urls")),
    path("", include("kollega.expertise.urls")),
    path("", include("kollega.search.urls")),
    path("", include("kollega.content.blogs.urls")),
    path("", include("kollega.content.wikis.urls")),
    path("", include("kollega.content.bookmarks.urls")),
    path("", include("kollega.guard.urls")),
    path("", include("kollega.public.urls")),  # the pages readable without sign-in
    path("", include("kollega.audit.urls")),
    path("", include("kollega.listening.urls")),
    path("", include("kollega.insights.urls")),
    path("", include("kollega.recommendations.urls")),
    path("", include("kollega.provisioning.urls")),  # SCIM 2.0 for the identity provider
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("kollega.accounts.urls")),  # signing in and out, sessions and tokens
    path("language/", web_views.set_language, name="set_language"),
]
