"""/api/v1/: the open, read-only API. A new endpoint is a viewset (api/views.py, a
subclass of PublicViewSet) registered here, and its "api:<basename>-list" and
"-detail" URL names in settings.PUBLIC_PAGES and tests/test_permissions.py."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("events", views.EventViewSet, basename="event")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("subagreements", views.SubAgreementViewSet, basename="subagreement")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("pools", views.PoolViewSet, basename="pool")

urlpatterns = [
    path("schema/", views.schema_view, name="schema"),
    path("docs/", views.docs_view, name="docs"),
    path("", include(router.urls)),
]
