from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core.cache_stamps import public_cache
from core.sitemaps import SITEMAPS

urlpatterns = [
    path("", include("core.urls")),
    path("", include("meetings.urls")),
    path("", include("minutes.urls")),
    path("", include("agreements.urls")),
    path("", include("pools.urls")),
    path("", include("search.urls")),
    path("konto/", include("accounts.urls")),
    # Passkeys (django-otp-webauthn's JSON endpoints for its own scripts).
    path("konto/totrin/passkey/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("fora/", include("forums.urls")),
    path("sekretariat/", include("forums.urls_secretariat")),
    path("", include("theme_reports.urls")),
    path("sekretariat/udbakke/", include("notifications.urls")),
    path("sekretariat/styringsdialog/", include("dialogue.urls")),
    path(
        "sitemap.xml",
        public_cache("forums", "meetings", "agreements", "pools")(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    # The open, read-only API (issue 10 §6).
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
