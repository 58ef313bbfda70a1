from django.urls import path

from kollega.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", views.sign_in_code, name="sign_in_code"),
    path("login/oidc/", views.oidc_start, name="oidc_start"),
    path("login/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("logout/", views.sign_out, name="logout"),
    path("settings/security/", views.security, name="security"),
    path(
        "settings/security/sessions/<int:session_id>/sign-out/",
        views.sign_out_session,
        name="sign_out_session",
    ),
    path(
        "settings/security/sessions/sign-out-others/",
        views.sign_out_other_sessions,
        name="sign_out_other_sessions",
    ),
    path("settings/security/two-step/start/", views.two_step_start, name="two_step_start"),
    path("settings/security/two-step/confirm/", views.two_step_confirm, name="two_step_confirm"),
    path("settings/security/two-step/off/", views.two_step_off, name="two_step_off"),
    path("settings/security/tokens/", views.create_token, name="create_token"),
    path(
        "settings/security/tokens/<int:token_id>/revoke/",
        views.revoke_token,
        name="revoke_token",
    ),
]
