from django.urls import path

from kollega.listening import views

urlpatterns = [
    path("listening/", views.inbox, name="listening_inbox"),
    path("listening/sources/<int:source_id>/", views.source, name="listening_source"),
] + [
    path(
        f"listening/mentions/<int:mention_id>/{action}/",
        views.act_on_mention,
        {"action": action},
        name=f"listening_mention_{action}",
    )
    for action in ("take", "answer", "dismiss")
]
