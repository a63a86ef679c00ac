"""Form helpers shared by every app: calling a service and showing its refusal at the field,
list filters bound to the address, and reading a local date and time as the one instant a
person means."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DateInput(forms.DateInput):
    """A native date picker that round-trips ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: at the field it names (translated
    through the form's `service_field_names`) where the form has that field, otherwise at
    the top of the form."""
    if hasattr(exc, "error_dict"):
        names = getattr(form, "service_field_names", {})
        for field, errors in exc.error_dict.items():
            field = names.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def call_service(form: forms.BaseForm, service: Callable[[], Any]) -> Any | None:
    """Run `service`; on a refusal attach its message to the form and return None."""
    try:
        return service()
    except ValidationError as exc:
        attach_errors(form, exc)
        return None


from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
