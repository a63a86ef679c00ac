from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from dialogue.models import DialogueArea, DialogueRound, Estate
from forums.models import Organisation, Person
from meetings.models import Meeting, Treatment


def housing_organisations():
    return Organisation.objects.filter(kind=Organisation.Kind.HOUSING_ORGANISATION)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{meeting.display_title} {timezone.localtime(meeting.starts_at):%d.%m.%Y}"


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EstateForm(forms.ModelForm):
    class Meta:
        model = Estate
        fields = ["organisation", "name", "number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = housing_organisations()


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Area or neighbourhood"), max_length=200)
    chosen_at = MeetingChoiceField(
        queryset=Meeting.objects.filter(forum__slug="partnerskabsforum").exclude(
            status=Meeting.Status.CANCELLED
        ),
        label=_("Chosen at the Partnerskabsforum meeting"),
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=housing_organisations(), required=False, label=_("Housing organisations")
    )
    estates = forms.ModelMultipleChoiceField(
        queryset=Estate.objects.select_related("organisation"),
        required=False,
        label=_("Estates"),
    )

    def __init__(self, *args, year: int, **kwargs):
        from dialogue.services import choosing_meetings

        super().__init__(*args, **kwargs)
        # Only held Partnerskabsforum meetings of the round's year or the year before.
        self.fields["chosen_at"].queryset = choosing_meetings(year)


class DialogueMeetingForm(forms.Form):
    area = forms.ModelChoiceField(queryset=DialogueArea.objects.none(), label=_("Area"))
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(), required=False, label=_("Participants")
    )
    other_participants = forms.CharField(
        label=_("Other participants"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    documents = forms.CharField(
        label=_("Documents"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One document per line: title and journal number or address."),
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, dialogue_round: DialogueRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = dialogue_round.areas.all()


class FollowUpForm(forms.Form):
    what = forms.CharField(label=_("What"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.ADMINISTRATION, Organisation.Kind.HOUSING_ORGANISATION]
        ),
        label=_("Responsible administration or housing organisation"),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    treatment = forms.ChoiceField(
        label=_("Treatment asked for"), choices=Treatment.choices, initial=Treatment.DISCUSSION
    )
    responsible = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.ADMINISTRATION),
        required=False,
        label=_("Responsible administration"),
    )
