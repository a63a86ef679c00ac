from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    FrameworkAgreement,
    Initiative,
    SubAgreement,
    SubAgreementStatus,
    Theme,
)
from core.forms import DateInput, FilterForm, search_field
from forums.models import Organisation
from meetings.forms import AttachmentsField, MeetingChoiceField
from meetings.models import Meeting


class PeriodFormMixin:
    """A period that does not end after it starts is refused at its end date (the model's
    check constraint alone would report it at the top of the form)."""

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class AgreementForm(PeriodFormMixin, forms.ModelForm):
    class Meta:
        model = FrameworkAgreement
        fields = [
            "title",
            "period_start",
            "period_end",
            "period_reason",
            "parties",
            "introduction",
            "prepared_at",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "period_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prepared_at"].queryset = Meeting.objects.filter(
            forum__slug="borgmesterforum"
        ).select_related("forum")
        self.fields["prepared_at"].required = False


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["position", "title", "goals", "priorities"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 5}),
            "priorities": forms.Textarea(attrs={"rows": 5}),
        }


def pf_meetings():
    return (
        Meeting.objects.filter(forum__slug="partnerskabsforum", is_archive=False)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("forum")
        .order_by("-starts_at")
    )


class NegotiatedForm(forms.Form):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(), label=_("Partnerskabsforum meeting")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = pf_meetings()


class BrApprovalForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved by the City Council on"), widget=DateInput())
    case_reference = forms.CharField(label=_("Case reference"), max_length=100)


class HousingApprovalForm(forms.Form):
    approved_on = forms.DateField(
        label=_("Approved by the housing organisations on"), widget=DateInput()
    )


class AdjustForm(forms.Form):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(), label=_("Decided at the Partnerskabsforum meeting")
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput())
    decision = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    change_note = forms.CharField(
        label=_("What the adjustment changes"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = pf_meetings()


class SubAgreementForm(PeriodFormMixin, forms.ModelForm):
    files = AttachmentsField(label=_("Documents"))

    class Meta:
        model = SubAgreement
        fields = [
            "title",
            "theme",
            "goals",
            "administration",
            "housing_organisation",
            "summary",
            "period_start",
            "period_end",
            "status",
            "prepared_at",
            "is_published",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.CheckboxSelectMultiple,
            "prepared_at": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Theme.objects.select_related("agreement").filter(
            agreement__status__in=["in_force", "negotiated", "draft"]
        )
        self.fields["prepared_at"].queryset = (
            Meeting.objects.filter(forum__slug="samarbejdsforum")
            .select_related("forum")
            .order_by("-starts_at")
        )
        self.fields["administration"].queryset = Organisation.objects.filter(kind="administration")
        self.fields["housing_organisation"].queryset = Organisation.objects.filter(
            kind="housing_organisation"
        )


class SubAgreementFilterForm(FilterForm):
    theme = search_field(label=_("Theme"))
    administration = forms.ModelChoiceField(
        Organisation.objects.filter(kind="administration"),
        required=False,
        label=_("Administration"),
    )
    housing_organisation = forms.ModelChoiceField(
        Organisation.objects.filter(kind="housing_organisation"),
        required=False,
        label=_("Housing organisation"),
    )
    status = forms.ChoiceField(
        choices=[("", _("All"))] + list(SubAgreementStatus.choices),
        required=False,
        label=_("Status"),
    )


class InitiativeForm(PeriodFormMixin, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "name",
            "area",
            "kind",
            "description",
            "period_start",
            "period_end",
            "status",
            "responsible",
            "meetings",
            "decisions",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organisation.objects.filter(kind="administration")
        self.fields["meetings"].queryset = Meeting.objects.select_related("forum").order_by(
            "-starts_at"
        )
        self.fields["meetings"].required = False
        self.fields["decisions"].required = False
        self.fields["decisions"].queryset = (
            self.fields["decisions"]
            .queryset.exclude(decision="")
            .select_related("minutes__meeting__forum")
        )


class InitiativeFilterForm(FilterForm):
    """The register of initiatives: kind (?type=) and status."""

    type = forms.ChoiceField(
        required=False, choices=[("", _("All"))] + list(Initiative.Kind.choices), label=_("Kind")
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", _("All"))] + list(Initiative.Status.choices),
        label=_("Status"),
    )


class InitiativeProposeForm(forms.Form):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(), label=_("Proposed at the Borgmesterforum meeting")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(forum__slug="borgmesterforum")
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("forum")
            .order_by("-starts_at")
        )


class InitiativeDecideForm(forms.Form):
    adopted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Adopted")), ("0", _("Not adopted"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    decided_by = forms.CharField(
        label=_("Decided by"), max_length=200, initial="Borgerrepræsentationen"
    )
    reference = forms.CharField(label=_("Case reference"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
