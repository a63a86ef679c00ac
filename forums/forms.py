from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, FilterForm, search_field
from forums.models import (
    Forum,
    Membership,
    Organisation,
    Person,
    Seat,
    StandardAgendaItem,
    ThemeGroup,
    ThemeGroupMember,
)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "parent"]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_short_name(self) -> str:
        return self.cleaned_data["short_name"].strip()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "organisation", "level", "email", "phone"]
        help_texts = {
            "email": _("Used for invitations and e-mails; never shown on public pages."),
        }


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, seat: Seat) -> str:
        return f"{seat.forum.name} – {seat.title}"


class MembershipForm(forms.ModelForm):
    seat = SeatChoiceField(
        queryset=Seat.objects.select_related("forum"),
        required=False,
        label=_("Seat"),
        help_text=_("Leave empty for the secretariat."),
    )

    class Meta:
        model = Membership
        fields = ["person", "forum", "seat", "role", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {"ends_on": _("Leave empty while the membership lasts.")}


class MembershipEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day of the membership"), widget=DateInput())

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["ends_on"].initial = timezone.localdate()

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < self.membership.starts_on:
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return ends_on


class ReplaceHolderForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all(), label=_("New holder"))
    starts_on = forms.DateField(
        label=_("The new holder takes over on"),
        widget=DateInput(),
        help_text=_("The current holder's membership ends the day before."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()


class ThemeGroupForm(forms.ModelForm):
    class Meta:
        model = ThemeGroup
        fields = [
            "name",
            "forum",
            "mandate",
            "is_standing",
            "set_up_on",
            "ends_on",
            "first_report_on",
            "report_every_months",
        ]
        widgets = {
            "set_up_on": DateInput(),
            "ends_on": DateInput(),
            "first_report_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.filter(sets_up_theme_groups=True)


class ThemeGroupMemberForm(forms.ModelForm):
    class Meta:
        model = ThemeGroupMember
        fields = ["person", "side", "is_chair"]


class SearchFilterForm(FilterForm):
    """A list with one search box (?q=...)."""

    q = search_field()


class MembershipFilterForm(FilterForm):
    """The memberships list: search, forum (by slug) and status (current by default)."""

    STATUSES = [
        ("current", _("Current")),
        ("future", _("Future")),
        ("ended", _("Ended")),
        ("all", _("All")),
    ]

    q = search_field()
    forum = forms.SlugField(required=False, max_length=50, label=_("Forum"))
    status = forms.ChoiceField(
        required=False, choices=STATUSES, initial="current", label=_("Status")
    )


class CockpitFilterForm(FilterForm):
    """The cockpit's forum filter (by slug; empty: every forum)."""

    forum = forms.SlugField(required=False, max_length=50, label=_("Forum"))


class StandardItemForm(forms.ModelForm):
    """A standard item: the checkbox's label is »Procedural« and its help text says what
    that means, once (not twice); a default responsible administration for substantive
    items."""

    class Meta:
        model = StandardAgendaItem
        fields = ["title", "description", "is_procedural", "responsible"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.ADMINISTRATION
        )


class StandardItemMoveForm(forms.Form):
    to = forms.IntegerField(label=_("Move to number"), min_value=1, max_value=999)
