"""What the API says about each public object, in Open Civic Data's words where they fit
(OCD-DEP 4 organizations and memberships, OCD-DEP 5 events; popolo for the rest).

Every value here comes from an object a public selector returned, and from the public
parts of it (public_items: a closed item is its number and »Lukket punkt«, nothing else).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import AgreementVersion, FrameworkAgreement, Initiative, SubAgreement
from forums.models import Forum
from forums.selectors import forum_memberships
from meetings.models import Meeting, MeetingStatus
from meetings.selectors import public_agenda_items, public_agenda_version
from minutes.selectors import final_version, public_minutes_for, public_minutes_items

# Meeting status -> OCD event status ("cancelled", "tentative", "confirmed", "passed").
OCD_EVENT_STATUS = {
    MeetingStatus.PLANNED: "confirmed",
    MeetingStatus.AGENDA_SENT: "confirmed",
    MeetingStatus.HELD: "passed",
    MeetingStatus.CANCELLED: "cancelled",
}


class Link(serializers.Serializer):
    url = serializers.URLField(help_text="An absolute URL.")
    note = serializers.CharField()


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# --- Organizations and memberships ------------------------------------------------------


class MembershipSerializer(serializers.Serializer):
    """One current membership, as the forum's public page lists it (OCD Membership)."""

    person_name = serializers.CharField(source="person.name")
    person_title = serializers.CharField(source="person.title")
    role = serializers.CharField(help_text="chair, co_chair, member or substitute.")
    role_label = serializers.CharField(source="get_role_display")
    label = serializers.CharField(source="seat.title", help_text="The seat (post) held.")
    appointed_by = serializers.CharField(source="seat.organisation.name", default="")
    organization_id = serializers.SlugField(
        source="forum.slug",
        help_text="The forum whose seat it is (an included forum's members sit here too).",
    )
    start_date = serializers.DateField(source="starts_on")
    end_date = serializers.DateField(source="ends_on", allow_null=True)


class OrganizationSerializer(serializers.ModelSerializer):
    """A forum as an OCD Organization, with its current memberships."""

    id = serializers.SlugField(source="slug")
    classification = serializers.SerializerMethodField()
    level = serializers.CharField(source="get_level_display")
    description = serializers.CharField(source="purpose")
    parent_id = serializers.SerializerMethodField()
    agenda_public = serializers.BooleanField()
    approved_minutes_public = serializers.BooleanField()
    memberships = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Forum
        fields = [
            "id",
            "name",
            "classification",
            "level",
            "description",
            "parent_id",
            "agenda_public",
            "approved_minutes_public",
            "memberships",
            "links",
        ]

    def get_classification(self, forum: Forum) -> str:
        return "committee"

    def get_parent_id(self, forum: Forum) -> str | None:
        return None

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, forum: Forum) -> list[dict]:
        rows = [m for m in forum_memberships(forum) if m.seat_id]
        return MembershipSerializer(rows, many=True).data

    @extend_schema_field(Link(many=True))
    def get_links(self, forum: Forum) -> list[dict]:
        request = self.context.get("request")
        return [{"url": _absolute(request, forum.get_absolute_url()), "note": "web"}]


# --- Events -------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.Serializer):
    """One item of the published agenda (OCD EventAgendaItem). A closed item has only
    `order`, `closed: true` and the description »Punkt N: Lukket punkt«."""

    order = serializers.IntegerField()
    description = serializers.CharField()
    closed = serializers.BooleanField()
    classification = serializers.ListField(child=serializers.CharField())
    responsible = serializers.CharField()
    presentation = serializers.CharField()
    recommendation = serializers.CharField()


class AgendaSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    items = AgendaItemSerializer(many=True)


class MinutesItemSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    description = serializers.CharField()
    closed = serializers.BooleanField()
    summary = serializers.CharField()
    decision = serializers.CharField()


class MinutesSerializer(serializers.Serializer):
    approved_at = serializers.DateTimeField(allow_null=True)
    introduction = serializers.CharField()
    items = MinutesItemSerializer(many=True)


def _withheld(item: dict) -> dict:
    return {
        "order": item["position"],
        "description": _("Item %(number)s: Closed item") % {"number": item["position"]},
        "closed": True,
    }


def agenda_item(item: dict) -> dict:
    """A public snapshot item (meetings.selectors.public_agenda_items) as the API shows it."""
    if item.get("withheld"):
        return {
            **_withheld(item),
            "classification": [],
            "responsible": "",
            "presentation": "",
            "recommendation": "",
        }
    return {
        "order": item["position"],
        "description": item.get("title", ""),
        "closed": False,
        "classification": [item["treatment_label"]] if item.get("treatment_label") else [],
        "responsible": item.get("responsible", ""),
        "presentation": item.get("presentation", ""),
        "recommendation": item.get("recommendation", ""),
    }


def minutes_item(item: dict) -> dict:
    """A public minutes item (minutes.selectors.public_minutes_items) as the API shows it."""
    if item.get("withheld"):
        return {**_withheld(item), "summary": "", "decision": ""}
    return {
        "order": item["position"],
        "description": item.get("title", ""),
        "closed": False,
        "summary": item.get("summary", ""),
        "decision": item.get("decision", ""),
    }


class EventSerializer(serializers.ModelSerializer):
    """A meeting as an OCD Event: its time, place and status are public for every forum;
    `agenda` only where public_agenda_version() gives one, `minutes` only where
    public_minutes_for() does (approved minutes of a forum whose minutes are public)."""

    name = serializers.CharField(source="display_title")
    classification = serializers.SerializerMethodField()
    start_date = serializers.DateTimeField(source="starts_at")
    end_date = serializers.DateTimeField(source="ends_at")
    all_day = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    organization = serializers.SlugField(source="forum.slug")
    participants = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "name",
            "classification",
            "start_date",
            "end_date",
            "all_day",
            "status",
            "location",
            "organization",
            "participants",
            "agenda",
            "minutes",
            "links",
        ]

    def get_classification(self, meeting: Meeting) -> str:
        return "meeting"

    def get_all_day(self, meeting: Meeting) -> bool:
        return False

    def get_status(self, meeting: Meeting) -> str:
        return OCD_EVENT_STATUS[meeting.status_at(timezone.now())]

    @extend_schema_field({"type": "object", "properties": {"name": {"type": "string"}}})
    def get_location(self, meeting: Meeting) -> dict:
        return {"name": meeting.place}

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "entity_type": {"type": "string"},
                    "entity_id": {"type": "string"},
                    "name": {"type": "string"},
                    "note": {"type": "string"},
                },
            },
        }
    )
    def get_participants(self, meeting: Meeting) -> list[dict]:
        forum = meeting.forum
        return [
            {
                "entity_type": "organization",
                "entity_id": forum.slug,
                "name": forum.name,
                "note": "host",
            }
        ]

    @extend_schema_field(AgendaSerializer(allow_null=True))
    def get_agenda(self, meeting: Meeting) -> dict | None:
        version = public_agenda_version(meeting)
        if version is None:
            return None
        items = [agenda_item(i) for i in public_agenda_items(version)]
        agenda = {"version": version.number, "published_at": version.went_out_at, "items": items}
        return AgendaSerializer(agenda).data

    @extend_schema_field(MinutesSerializer(allow_null=True))
    def get_minutes(self, meeting: Meeting) -> dict | None:
        minutes = public_minutes_for(meeting)
        if minutes is None:
            return None
        final = final_version(minutes)
        data = {
            "approved_at": minutes.approved_at,
            "introduction": final.snapshot.get("introduction", "") if final else "",
            "items": [minutes_item(i) for i in public_minutes_items(minutes)],
        }
        return MinutesSerializer(data).data

    @extend_schema_field(Link(many=True))
    def get_links(self, meeting: Meeting) -> list[dict]:
        request = self.context.get("request")
        return [{"url": _absolute(request, meeting.get_absolute_url()), "note": "web"}]


# --- Agreements ---------------------------------------------------------------------------


class AgreementVersionSerializer(serializers.ModelSerializer):
    """A version of the framework agreement: 1 as it came into force, then one per
    adjustment decided by Partnerskabsforum (`event_id`: the meeting)."""

    is_adjustment = serializers.SerializerMethodField()
    event_id = serializers.IntegerField(source="meeting_id", allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = AgreementVersion
        fields = [
            "number",
            "adopted_on",
            "is_adjustment",
            "decision",
            "change_note",
            "event_id",
            "url",
        ]

    def get_is_adjustment(self, version: AgreementVersion) -> bool:
        return version.number > 1

    def get_url(self, version: AgreementVersion) -> str:
        return _absolute(self.context.get("request"), version.get_absolute_url())


class AgreementSerializer(serializers.ModelSerializer):
    """A framework agreement that has entered into force, with its versions."""

    status_label = serializers.CharField(source="get_status_display")
    versions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkAgreement
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "parties",
            "introduction",
            "status",
            "status_label",
            "in_force_since",
            "ended_on",
            "versions",
            "url",
        ]

    @extend_schema_field(AgreementVersionSerializer(many=True))
    def get_versions(self, agreement: FrameworkAgreement) -> list[dict]:
        versions = agreement.versions.order_by("number")
        return AgreementVersionSerializer(versions, many=True, context=self.context).data

    def get_url(self, agreement: FrameworkAgreement) -> str:
        return _absolute(self.context.get("request"), agreement.get_absolute_url())


class SubAgreementSerializer(serializers.ModelSerializer):
    administration = serializers.CharField(source="administration.name", default="")
    housing_organisation = serializers.CharField(source="housing_organisation.name", default="")
    status_label = serializers.CharField(source="get_status_display")
    url = serializers.SerializerMethodField()

    class Meta:
        model = SubAgreement
        fields = [
            "id",
            "title",
            "theme",
            "administration",
            "housing_organisation",
            "summary",
            "period_start",
            "period_end",
            "status",
            "status_label",
            "url",
        ]

    def get_url(self, sub: SubAgreement) -> str:
        return _absolute(self.context.get("request"), sub.get_absolute_url())


class InitiativeSerializer(serializers.ModelSerializer):
    responsible = serializers.CharField(source="responsible.name", default="")
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "name",
            "area",
            "kind",
            "kind_label",
            "description",
            "period_start",
            "period_end",
            "status",
            "status_label",
            "responsible",
            "url",
        ]

    def get_url(self, initiative: Initiative) -> str:
        return _absolute(self.context.get("request"), initiative.get_absolute_url())


class PoolGrantSerializer(serializers.Serializer):
    """A grant from a funding pool: final once the minutes that decided it are approved,
    pending until then (it already reserves the money)."""

    recipient = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    status = serializers.CharField()
    meeting_date = serializers.DateField()
    item_title = serializers.CharField(allow_blank=True)


class PoolSerializer(serializers.Serializer):
    """A funding pool the secretariat marked public (pools.selectors.public_pool_summary):
    amounts in kroner as decimal strings."""

    id = serializers.CharField(source="slug")
    name = serializers.CharField()
    purpose = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    authorised_on = serializers.DateField(allow_null=True)
    authorisation_reference = serializers.CharField(allow_blank=True)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    granted = serializers.DecimalField(max_digits=14, decimal_places=2)
    reserved = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    grants = PoolGrantSerializer(many=True)
    url = serializers.CharField()

    def to_representation(self, instance):
        from pools.selectors import public_pool_summary

        return super().to_representation(public_pool_summary(instance))
