from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, FilterForm
from core.submission import SubmitOnceMixin
from forums.models import Organisation
from minutes.models import ActionStatus, Disposition, FollowUpAction, MinutesItem


class MinutesEditorForm(forms.Form):
    """The whole text of the minutes: an introduction and, per item, summary and decision.
    `lock_version` is the version the editor loaded (optimistic locking)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items: list[MinutesItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"summary_{item.pk}"] = forms.CharField(
                label=_("Summary"),
                required=False,
                initial=item.summary,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"decision_{item.pk}"] = forms.CharField(
                label=_("Decision"),
                required=False,
                initial=item.decision,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def item_rows(self):
        return [
            (item, self[f"summary_{item.pk}"], self[f"decision_{item.pk}"]) for item in self.items
        ]

    def item_values(self) -> dict[int, dict[str, str]]:
        return {
            item.pk: {
                "summary": self.cleaned_data[f"summary_{item.pk}"].strip(),
                "decision": self.cleaned_data[f"decision_{item.pk}"].strip(),
            }
            for item in self.items
        }


class ActionForm(forms.ModelForm):
    class Meta:
        model = FollowUpAction
        fields = ["what", "responsible", "due_on"]
        widgets = {"what": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organisation.objects.filter(
            kind__in=FollowUpAction.RESPONSIBLE_KINDS
        )


class CommentForm(SubmitOnceMixin, forms.Form):
    item = forms.ModelChoiceField(
        queryset=MinutesItem.objects.none(),
        required=False,
        label=_("About"),
        empty_label=_("The minutes as a whole"),
    )
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, minutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if minutes is not None:
            self.fields["item"].queryset = minutes.items.order_by("position")
        else:
            del self.fields["item"]


class DispositionForm(forms.Form):
    # The empty choice comes first, so that saving a note alone cannot record a
    # disposition by accident: choosing one is required.
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        choices=[("", _("Choose a disposition"))] + [c for c in Disposition.choices if c[0]],
    )
    disposition_note = forms.CharField(
        label=_("Reason or answer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviseForm(forms.Form):
    change_note = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}))


class ErratumForm(forms.Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 4}))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class RegisterFilterForm(FilterForm):
    forum = forms.SlugField(required=False, max_length=50, label=_("Forum"))
    responsible = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind__in=FollowUpAction.RESPONSIBLE_KINDS),
        required=False,
        label=_("Responsible administration or housing organisation"),
    )
    status = forms.ChoiceField(
        choices=[("", _("All"))] + list(ActionStatus.choices), required=False, label=_("Status")
    )
    due_before = forms.DateField(required=False, label=_("Due by"), widget=DateInput())
    overdue = forms.BooleanField(required=False, label=_("Only overdue"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("responsible", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["due_before"].widget.attrs["class"] = "form-control"
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"
