from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm, search_field
from core.search import SEARCH_KINDS
from forums.models import Forum


class SearchForm(FilterForm):
    """/soeg/?q=…&forum=…&aar=…&type=…&page=…: every field optional; a value it cannot use
    is ignored with a message (core.forms.FilterForm), never a 500."""

    q = search_field(_("Search for"))
    forum = forms.ModelChoiceField(
        queryset=Forum.objects.order_by("name"),
        required=False,
        label=_("Forum"),
        empty_label=_("All forums"),
        to_field_name="slug",
    )
    aar = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("Year"))
    type = forms.ChoiceField(required=False, label=_("Kind"))
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, label=_("Page"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        kinds = sorted(SEARCH_KINDS.items(), key=lambda kv: str(kv[1]))
        self.fields["type"].choices = [("", _("Everything")), *kinds]
        for name in ("forum", "type"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["aar"].widget.attrs["class"] = "form-control"
