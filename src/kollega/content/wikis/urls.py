"""The organisation's wiki under /wiki/, each community's under /wiki/c/<community>/.

Both share the URL names; `reverse` picks by whether `community` is given
(see `models.wiki_url`). The organisation wiki's home is `wiki_home`.
"""

from django.urls import path

from kollega.content.wikis import views


def _wiki_routes(prefix: str) -> list:
    page = prefix + "p/<slug:slug>/"
    return [
        path(prefix, views.home, name="wiki_home"),
        path(prefix + "new/", views.new_page, name="wiki_new_page"),
        path(page, views.page_view, name="wiki_page"),
        path(page + "edit/", views.edit, name="wiki_edit"),
        path(page + "history/", views.history, name="wiki_history"),
        path(page + "history/<int:number>/", views.revision_view, name="wiki_revision"),
        path(page + "history/<int:number>/restore/", views.restore, name="wiki_restore"),
        path(page + "diff/", views.diff, name="wiki_diff"),
        path(page + "watch/", views.watch, name="wiki_watch"),
        path(page + "attachments/", views.attach, name="wiki_attach"),
        path(
            page + "attachments/<int:attachment_id>/<str:filename>",
            views.attachment,
            name="wiki_attachment",
        ),
    ]


urlpatterns = _wiki_routes("wiki/") + _wiki_routes("wiki/c/<slug:community>/")
