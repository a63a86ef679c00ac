from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import FilesChosenAgainMixin
from meetings.forms import AttachmentsField


class ThemeGroupReportForm(FilesChosenAgainMixin, forms.Form):
    """A theme group's report, submitted by the secretariat: the report date it answers
    (the group's open dates up to today and the next one; or none), title, text, documents."""

    due_on = forms.TypedChoiceField(
        label=_("Report for"), required=False, coerce=date.fromisoformat, empty_value=None
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}))
    files = AttachmentsField(label=_("Documents"))

    def __init__(self, *args, dates: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].choices = [
            *((day.isoformat(), date_format(day, "j. F Y")) for day in dates),
            ("", _("No report date (a report between the dates)")),
        ]

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()
