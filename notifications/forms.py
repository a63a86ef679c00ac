from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm, search_field
from notifications.models import OutboxMessage


class OutboxFilterForm(FilterForm):
    """The outbox list: search (recipient, subject, kind) and status."""

    q = search_field()
    status = forms.ChoiceField(
        required=False,
        choices=[("", _("All"))] + list(OutboxMessage.Status.choices),
        label=_("Status"),
    )
