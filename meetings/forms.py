from datetime import time

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, FilesChosenAgainMixin, FilterForm, LocalDateTimeMixin
from core.submission import SubmitOnceMixin
from forums.models import Forum, Organisation, Person
from meetings.attachments import check_limits, validate_upload
from meetings.deadlines import TZ
from meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    PresenceStatus,
    Proposal,
    Treatment,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _attachments_help_text() -> str:
    return gettext(
        "PDF, DOCX, XLSX, PPTX, ODT, PNG or JPEG; at most 20 MB each, "
        "%(files)d files and %(total)d MB in all."
    ) % {"files": settings.ATTACHMENTS_MAX_FILES, "total": settings.ATTACHMENTS_MAX_TOTAL_MB}


_attachments_help = lazy(_attachments_help_text, str)


class AttachmentsField(forms.FileField):
    """Any number of attachments, each checked by its content (see meetings.attachments)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault("help_text", _attachments_help())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        check_limits(files)  # before reading any file: 200 uploads are refused unread
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return list(files)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class MeetingTimesForm(LocalDateTimeMixin, forms.Form):
    # The services speak of starts_at/ends_at; this form asks for a day and two times,
    # read as Copenhagen wall-clock time (a time the clocks skip is refused, one they
    # pass twice is asked about: see core.forms.LocalDateTimeMixin).
    service_field_names = {"starts_at": "day", "ends_at": "ends"}
    local_datetimes = {"starts_at": ("day", "starts"), "ends_at": ("day", "ends")}
    local_tz = TZ

    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput(), initial=time(14, 0))
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput(), initial=time(16, 0))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends", _("The meeting must end after it starts."))
        return data


class MeetingForm(MeetingTimesForm):
    forum = forms.ModelChoiceField(queryset=Forum.objects.order_by("position"), label=_("Forum"))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional; the forum's name is used otherwise."),
    )
    is_archive = forms.BooleanField(
        label=_("Archive entry of an earlier meeting"),
        required=False,
        help_text=_("Records a meeting held earlier: no one is notified and no deadline is armed."),
    )
    field_order = ["forum", "title", "day", "starts", "ends", "place", "is_archive"]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(SubmitOnceMixin, FilesChosenAgainMixin, forms.ModelForm):
    files = AttachmentsField()

    class Meta:
        model = Proposal
        fields = ["title", "description", "treatment", "responsible"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organisation.objects.filter(kind="administration")


class AgendaItemForm(SubmitOnceMixin, FilesChosenAgainMixin, forms.ModelForm):
    files = AttachmentsField()

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "presentation",
            "recommendation",
            "treatment",
            "responsible",
            "is_closed",
        ]
        widgets = {
            "presentation": forms.Textarea(attrs={"rows": 6}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organisation.objects.filter(kind="administration")
        self.fields["treatment"].choices = Treatment.choices


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        from django.utils import formats, timezone

        return f"{meeting.forum.name} – {formats.date_format(timezone.localtime(meeting.starts_at), 'j. F Y')}"


class ProposalMoveForm(forms.Form):
    meeting = MeetingChoiceField(queryset=Meeting.objects.none(), label=_("Move to the meeting"))

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(
                forum=proposal.meeting.forum,
                status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT],
                is_archive=False,
            )
            .exclude(pk=proposal.meeting_id)
            .select_related("forum")
        )


class ReferForm(forms.Form):
    meeting = MeetingChoiceField(queryset=Meeting.objects.none(), label=_("Refer to the meeting"))

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = (
            Meeting.objects.filter(status=Meeting.Status.PLANNED, is_archive=False)
            .exclude(forum=item.meeting.forum)
            .select_related("forum")
            .order_by("starts_at")
        )
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].initial = meetings.first()


class MoveToForm(forms.Form):
    to = forms.IntegerField(label=_("Move to number"), min_value=1, max_value=999)


class SendForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceStatus.choices, widget=forms.RadioSelect
    )
    substitute = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Substitute attending in my place")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, substitutes: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        if substitutes:
            self.fields["substitute"].queryset = Person.objects.filter(
                pk__in=[p.pk for p in substitutes]
            )
        else:
            del self.fields["substitute"]


class MeetingListFilterForm(FilterForm):
    """The secretariat's meeting list: one calendar year (?aar=2027), within the years the
    software plans for; anything else shows the current year and says why. Narrowed by
    forum (?forum=<slug>) and state (?status=held) for the archive (issue 14 §1)."""

    aar = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("Year"))
    forum = forms.ModelChoiceField(
        queryset=Forum.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        label=_("Forum"),
        empty_label=_("All forums"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        choices=[("", _("All states")), *MeetingStatus.choices],
        required=False,
        label=_("Status"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PresenceForm(forms.Form):
    """The secretariat's record of who attended: for each member (an AttendanceRow) a
    `status_<person id>` choice (blank = not recorded) and, where the seat has substitutes,
    a `substitute_<person id>` choice. `entries()` gives what presence_record takes."""

    def __init__(self, *args, rows: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.person.pk
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label=gettext("Attendance of %(name)s") % {"name": row.person.name},
                choices=[("", _("Not recorded")), *PresenceStatus.choices],
                required=False,
                initial=row.presence.status if row.presence else "",
            )
            self.fields[f"substitute_{pk}"] = forms.ModelChoiceField(
                label=gettext("Substitute for %(name)s") % {"name": row.person.name},
                queryset=Person.objects.filter(pk__in=[p.pk for p in row.substitutes]),
                required=False,
                empty_label=gettext("No substitute"),
                initial=row.presence.substitute_id if row.presence else None,
            )

    def bound_rows(self) -> list[tuple]:
        """(row, status field, substitute field, status options) per member, for the
        template. »Repræsenteret ved suppleant« is offered only where the seat has a
        substitute, and names them (the server refuses it otherwise, presence_record)."""
        return [
            (
                row,
                self[f"status_{row.person.pk}"],
                self[f"substitute_{row.person.pk}"],
                self.status_options(row),
            )
            for row in self.rows
        ]

    @staticmethod
    def status_options(row) -> list[tuple[str, str]]:
        """(value, label) of the attendance a member can have had: without »represented«
        when the seat has no substitute, with the substitutes' names when it has."""
        options: list[tuple[str, str]] = [("", gettext("Not recorded"))]
        for value, label in PresenceStatus.choices:
            if value != PresenceStatus.REPRESENTED:
                options.append((value, str(label)))
            elif row.substitutes:
                names = ", ".join(p.name for p in row.substitutes)
                options.append(
                    (value, gettext("Represented by substitute (%(names)s)") % {"names": names})
                )
        return options

    def entries(self) -> list[tuple[Person, str, Person | None]]:
        return [
            (
                row.person,
                self.cleaned_data[f"status_{row.person.pk}"],
                self.cleaned_data[f"substitute_{row.person.pk}"],
            )
            for row in self.rows
        ]


class AttachmentReplaceForm(forms.Form):
    file = forms.FileField(
        label=_("New file"),
        help_text=_(
            "It takes the old file's place in the list; a version already sent keeps the old one."
        ),
    )
