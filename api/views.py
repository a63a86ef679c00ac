"""The API's read-only endpoints. Each reads through the public selectors of its app, the
ones the public pages use, and is cached by the same stamps as those pages."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from agreements.selectors import public_agreements, public_initiatives, public_sub_agreements
from api.serializers import (
    AgreementSerializer,
    EventSerializer,
    InitiativeSerializer,
    OrganizationSerializer,
    PoolSerializer,
    SubAgreementSerializer,
)
from core.cache_stamps import public_cache
from forums.models import Forum
from forums.selectors import forum_list
from meetings.selectors import public_meetings
from pools.selectors import public_pools_qs


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only list (paginated) and detail of what a public selector returns.

    `cache_stamps` names the stamps the public pages showing the same objects use
    (core/cache_stamps.py): anonymous GETs are answered from a copy with an ETag (304 to
    If-None-Match) and gzip, and a service's bump() makes the copy unreachable."""

    cache_stamps: tuple[str, ...] = ("forums",)

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return public_cache(*cls.cache_stamps)(super().as_view(actions, **initkwargs))


class OrganizationViewSet(PublicViewSet):
    """The forums (OCD organizations) with their current memberships."""

    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "slug"
    cache_stamps = ("forums",)

    def get_queryset(self) -> QuerySet:
        return forum_list()


class EventFilter(serializers.Serializer):
    organization = serializers.SlugField(
        required=False, help_text="A forum's id (slug), e.g. partnerskabsforum."
    )
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2999, help_text="The year the meeting starts."
    )

    def validate_organization(self, value: str) -> str:
        if not Forum.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("There is no forum »%(slug)s«.") % {"slug": value})
        return value


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("organization", str, description="A forum's id (slug)."),
            OpenApiParameter("year", int, description="The year the meeting starts."),
        ]
    )
)
class EventViewSet(PublicViewSet):
    """The meetings of every forum (OCD events), in order of time, with the public agenda
    and the approved public minutes where the forum's rules make them public."""

    serializer_class = EventSerializer
    cache_stamps = ("forums", "meetings")

    def get_queryset(self) -> QuerySet:
        qs = public_meetings().order_by("starts_at", "pk")
        if self.action != "list":
            return qs
        filters = EventFilter(data=self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        if slug := filters.validated_data.get("organization"):
            qs = qs.filter(forum__slug=slug)
        if year := filters.validated_data.get("year"):
            qs = qs.filter(starts_at__year=year)
        return qs


class AgreementViewSet(PublicViewSet):
    """Framework agreements that have entered into force, each with its versions
    (version 1 and every adjustment)."""

    serializer_class = AgreementSerializer
    cache_stamps = ("forums", "agreements", "meetings")

    def get_queryset(self) -> QuerySet:
        return public_agreements().order_by("-period_start", "pk")


class SubAgreementViewSet(PublicViewSet):
    """The sub-agreements the secretariat has published."""

    serializer_class = SubAgreementSerializer
    cache_stamps = ("forums", "agreements")

    def get_queryset(self) -> QuerySet:
        return public_sub_agreements().order_by("-period_start", "pk")


class InitiativeViewSet(PublicViewSet):
    """The register of area-based initiatives."""

    serializer_class = InitiativeSerializer
    cache_stamps = ("forums", "agreements")

    def get_queryset(self) -> QuerySet:
        return public_initiatives().order_by("name", "pk")


class PoolViewSet(PublicViewSet):
    """The funding pools the secretariat marked public: purpose, amount, the City
    Council's authorisation, period, and what was granted (issue 10 §1)."""

    serializer_class = PoolSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "slug"
    cache_stamps = ("pools",)

    def get_queryset(self) -> QuerySet:
        return public_pools_qs().order_by("-period_start", "pk")


# The OpenAPI 3 schema changes only with the code: cached by path until midnight.
schema_view = public_cache()(SpectacularAPIView.as_view())


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files on this site; its start script
    is a separate file (?script), and the template has no inline style, so the site's
    Content Security Policy needs no exception."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


docs_view = public_cache()(DocsView.as_view())
