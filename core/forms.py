"""Form helpers shared by every app: calling a service and showing its refusal at the field,
and list filters bound to the address."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
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


SEARCH_MAX_LENGTH = 200


class FilterForm(forms.Form):
    """A list page's filters, bound to `request.GET` (every field optional).

    `values()` gives every field's cleaned value, or its default where the value was missing,
    empty or invalid: a bad address ("?aar=abc", "?q=%00", a 5,000-character search) narrows
    nothing and never reaches the database. `explain(request)` says in a message which filter
    was ignored and why. Repeated keys count with their last value (QueryDict.get)."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data or None, **kwargs)

    def defaults(self) -> dict[str, Any]:
        """{field name: its initial value, else the field's empty value ("" or None)}."""
        values = {}
        for name, field in self.fields.items():
            value = self.get_initial_for_field(field, name)
            values[name] = field.to_python(None) if value is None else value
        return values

    def values(self) -> dict[str, Any]:
        """{field name: cleaned value or default}; never raises."""
        values = self.defaults()
        if self.is_bound:
            self.is_valid()
            values.update(
                (name, value)
                for name, value in self.cleaned_data.items()
                if value not in (None, "", [], False)
            )
        return values

    def explain(self, request) -> None:
        """Add one warning message per ignored filter, naming the filter and the reason."""
        if not self.is_bound or self.is_valid():
            return
        for name, errors in self.errors.items():
            label = self.fields[name].label or name
            messages.warning(
                request,
                _("The filter “%(field)s” is ignored: %(error)s")
                % {"field": label, "error": " ".join(errors)},
            )


def search_field(label: str | None = None) -> forms.CharField:
    """A free-text search box: at most SEARCH_MAX_LENGTH characters, no NUL bytes."""
    return forms.CharField(
        required=False, max_length=SEARCH_MAX_LENGTH, label=label or gettext_lazy("Search")
    )
