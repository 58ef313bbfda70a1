from django.urls import path

from kollega.listening import views

urlpatterns = [
    path("listening/", views.inbox, name="listening_inbox"),
    path("listening/overview/", views.overview, name="listening_overview"),
    path("listening/sources/<int:source_id>/", views.source, name="listening_source"),
    path("listening/mentions/<int:mention_id>/", views.mention, name="listening_mention"),
    path("settings/accounts/", views.accounts, name="listening_accounts"),
    path("settings/accounts/add/", views.add_account, name="listening_account_add"),
    path(
        "settings/accounts/<int:account_id>/remove/",
        views.remove_account,
        name="listening_account_remove",
    ),
] + [
    path(
        f"listening/mentions/<int:mention_id>/{action}/",
        views.act_on_mention,
        {"action": action},
        name=f"listening_mention_{action}",
    )
    for action in ("take", "assign", "answer", "dismiss", "comment", "share")
]
