"""The secretariat's report pages, under /sekretariat/temagrupper/ beside forums' own."""

from django.urls import path

from theme_reports import views

app_name = "theme_reports"

urlpatterns = [
    path(
        "sekretariat/temagrupper/<int:pk>/rapporter/ny/",
        views.theme_group_report_new,
        name="report_new",
    ),
    path(
        "sekretariat/temagrupper/rapporter/dokumenter/<int:pk>/",
        views.theme_group_report_document,
        name="report_document",
    ),
]
