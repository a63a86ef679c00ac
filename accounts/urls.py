from django.urls import path

from accounts import views, views_second_factor

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kalender/paamindelser/", views.calendar_reminders, name="calendar_reminders"),
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ud/", views.LogoutView.as_view(), name="logout"),
    path("totrin/", views_second_factor.second_step, name="second_factor"),
    path("totrin/opsaet/", views_second_factor.setup, name="second_factor_setup"),
    path(
        "totrin/gendannelseskoder/",
        views_second_factor.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("totrin/slaa-fra/", views_second_factor.turn_off, name="second_factor_turn_off"),
    path(
        "totrin/passkey-tekster.js",
        views_second_factor.PasskeyScriptCatalog.as_view(),
        name="passkey_script_catalog",
    ),
    path("nulstil-adgangskode/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "nulstil-adgangskode/sendt/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nulstil-adgangskode/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
