import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from forums.models import Organisation
from pools.models import MONEY, Pool
from pools.selectors import grantable_items

# Digits, optionally grouped by points in threes (»1.250.000«), then optionally a comma and øre.
DANISH_AMOUNT = re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+)(,\d*)?$")


class KronerField(forms.DecimalField):
    """An amount in kroner typed the Danish way: »1.250.000,50«, »1250000,50«, »1250000«,
    with or without »kr.« and spaces. A point is a thousands separator only where it
    groups three digits; »1250000.50« is refused as ambiguous (with a Danish message) rather
    than read as 125 million.

    Rendered as a text input with ``inputmode="decimal"``: an ``<input type="number">`` drops
    or rewrites the Danish comma in the browser before the server sees it (QA issue 10)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("kr.", "").replace("kr", "").replace(" ", "").replace("\xa0", "")
            if text in self.empty_values:
                return None
            if not DANISH_AMOUNT.match(text):
                raise forms.ValidationError(
                    _("Write the amount with a comma before the øre, e.g. 1.250.000,50."),
                    code="invalid",
                )
            value = text.replace(".", "").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        # Shown again in Danish (»1250000,50«), so a second save reads it the same way.
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


def money_field(label) -> forms.DecimalField:
    return KronerField(label=label, **MONEY)


class PoolForm(forms.ModelForm):
    amount = money_field(_("Amount (DKK)"))

    class Meta:
        model = Pool
        fields = [
            "name",
            "slug",
            "purpose",
            "amount",
            "authorised_on",
            "authorisation_reference",
            "period_start",
            "period_end",
            "is_public",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "authorised_on": DateInput(),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class MinutesItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item) -> str:
        meeting = item.minutes.meeting
        return f"{meeting.forum.name} {meeting.day:%d.%m.%Y}, punkt {item.position}: {item.title}"


class GrantForm(forms.Form):
    minutes_item = MinutesItemChoiceField(
        queryset=grantable_items(),
        label=_("Decided in the minutes item"),
        help_text=_("A Samarbejdsforum meeting's item whose decision grants the money."),
    )
    amount = money_field(_("Amount (DKK)"))
    recipient_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind="housing_organisation"),
        label=_("Housing organisation"),
        required=False,
    )
    recipient_project = forms.CharField(label=_("Project"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes_item"].queryset = grantable_items()


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
