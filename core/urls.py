from django.urls import path

from core import metrics, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.liveness, name="liveness"),
    path("metrics", metrics.metrics, name="metrics"),
]
