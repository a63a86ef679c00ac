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
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class DateInput(forms.DateInput):
    """A native date picker that round-trips ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def files_chosen_again(count: int) -> str:
    """»Vælg filen igen …« for one chosen file, »Vælg filerne igen …« for more (ngettext)."""
    return ngettext(
        "Choose the file again: files are not kept when the form cannot be saved.",
        "Choose the files again: files are not kept when the form cannot be saved.",
        count,
    )


# The message for one file, translated when shown.
FILES_CHOSEN_AGAIN = lazy(lambda: files_chosen_again(1), str)()


class FilesChosenAgainMixin:
    """For a form with file fields: when the form has an error (its own or a service's
    refusal, see `attach_errors`), each file field that had files chosen says that they must
    be chosen again — a browser never re-fills a file input, so the page must say it
    plainly (issue 13 §1) rather than show an empty field as if nothing was lost."""

    def add_error(self, field, error):
        super().add_error(field, error)
        if getattr(self, "_flagging_files", False):
            return
        self._flagging_files = True
        try:
            for name, form_field in self.fields.items():
                chosen = self.files.getlist(self.add_prefix(name)) if self.files else []
                message = files_chosen_again(len(chosen))
                if (
                    isinstance(form_field, forms.FileField)
                    and chosen
                    and name != field
                    and message not in self._errors.get(name, [])
                ):
                    super().add_error(name, message)
        finally:
            self._flagging_files = False


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: at the field it names (translated
    through the form's `service_field_names`) where the form has that field, otherwise at
    the top of the form.

    A message the form already shows at that place is not added again: a view that checks
    the rules before its confirmation page and the service that checks them again must not
    make the error summary list each refusal twice (QA issue 10 §5)."""
    if hasattr(exc, "error_dict"):
        names = getattr(form, "service_field_names", {})
        for field, errors in exc.error_dict.items():
            field = names.get(field, field)
            _add_new_errors(form, field if field in form.fields else None, errors)
    else:
        _add_new_errors(form, None, exc)


def _add_new_errors(form: forms.BaseForm, field: str | None, errors) -> None:
    """form.add_error(field, …) with only the messages not already shown at `field`."""
    shown = (form._errors or {}).get(field or forms.forms.NON_FIELD_ERRORS, [])
    new = [m for m in ValidationError(errors).messages if m not in shown]
    if new:
        form.add_error(field, new)


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


# --- Local date-times: the clock as people read it ------------------------------------


class LocalTimeProblem:
    """What is wrong with a wall-clock time in a time zone (see `local_time_problem`)."""

    GAP = "gap"  # the clocks jump over it: it never happens
    FOLD = "fold"  # the clocks go back over it: it happens twice


def local_time_problem(naive: datetime, tz: tzinfo) -> str | None:
    """`LocalTimeProblem.GAP` if the naive wall-clock time `naive` never occurs in `tz`,
    `LocalTimeProblem.FOLD` if it occurs twice, None if it names exactly one instant.

    PEP 495 semantics, as zoneinfo implements them: in a gap, fold=0 and fold=1 give
    different offsets and neither survives a round trip through UTC; in a fold, both
    survive and their offsets differ."""
    earlier = naive.replace(tzinfo=tz, fold=0)
    later = naive.replace(tzinfo=tz, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return None
    back = earlier.astimezone(UTC).astimezone(tz).replace(tzinfo=None, fold=0)
    return LocalTimeProblem.GAP if back != naive else LocalTimeProblem.FOLD


def _offset_name(moment: datetime) -> str:
    """»sommertid (CEST)« for a moment in daylight-saving time, »vintertid (CET)« else."""
    if moment.dst():
        return _("summer time (%(abbr)s)") % {"abbr": moment.tzname()}
    return _("winter time (%(abbr)s)") % {"abbr": moment.tzname()}


def _transition_reason(naive: datetime, tz: tzinfo) -> str:
    before = (naive - timedelta(hours=3)).replace(tzinfo=tz)
    after = (naive + timedelta(hours=3)).replace(tzinfo=tz)
    if after.dst() and not before.dst():
        return _("summer time begins")
    if before.dst() and not after.dst():
        return _("summer time ends")
    return _("the clocks change")


class LocalDateTimeMixin:
    """Combines a date field and a time field into one aware date-time in `local_tz`,
    refusing a wall-clock time that does not exist and asking which one is meant when it
    exists twice (zoneinfo's `fold`, PEP 495).

    Declare `local_datetimes = {"starts_at": ("day", "starts"), ...}`: the result name,
    then the date and the time field (both required). After `clean()`, `cleaned_data`
    holds each result as an aware datetime with its `fold` set. For an ambiguous time a
    choice field `<time field>_fold` appears (values "0": the earlier instant, summer
    time; "1": the later one, winter time); the form is then invalid until it is chosen,
    and everything typed stays bound. A non-existent time is an error at the time field.
    An unbound form whose initial date and time are ambiguous shows the choice at once,
    preset from `initial["<time field>_fold"]`.
    """

    local_datetimes: dict[str, tuple[str, str]] = {}
    local_tz: tzinfo = ZoneInfo("Europe/Copenhagen")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # an ambiguous stored time shows its reading (initial "0"/"1")
            for day_field, time_field in self.local_datetimes.values():
                day, clock = self.initial.get(day_field), self.initial.get(time_field)
                if day and clock:
                    naive = datetime.combine(day, clock)
                    if local_time_problem(naive, self.local_tz) == LocalTimeProblem.FOLD:
                        self._add_fold_field(time_field, naive)

    def _add_fold_field(self, time_field: str, naive: datetime) -> str:
        """Adds (or replaces) the choice between the two instants of `naive`."""
        name = f"{time_field}_fold"
        field = forms.ChoiceField(
            label=_("Which %(time)s do you mean?") % {"time": naive.strftime("%H:%M")},
            choices=[
                (str(fold), _offset_name(naive.replace(tzinfo=self.local_tz, fold=fold)))
                for fold in (0, 1)
            ],
            widget=forms.RadioSelect,
            required=False,
        )
        # Right after the time it asks about, wherever the form is rendered field by field.
        fields = [(k, v) for k, v in self.fields.items() if k != name]
        at = [k for k, _v in fields].index(time_field) + 1
        self.fields = dict(fields[:at] + [(name, field)] + fields[at:])
        return name

    def clean(self):
        data = super().clean()
        for result, (day_field, time_field) in self.local_datetimes.items():
            day, clock = data.get(day_field), data.get(time_field)
            if day is None or clock is None:
                continue
            moment = self._local_moment(datetime.combine(day, clock), time_field)
            if moment is not None:
                data[result] = moment
        return data

    def _local_moment(self, naive: datetime, time_field: str) -> datetime | None:
        problem = local_time_problem(naive, self.local_tz)
        facts = {
            "time": naive.strftime("%H:%M"),
            "day": date_format(naive.date(), "j. F Y"),
            "reason": _transition_reason(naive, self.local_tz),
        }
        if problem == LocalTimeProblem.GAP:
            self.add_error(
                time_field,
                _("The time %(time)s does not exist on %(day)s (%(reason)s); choose another time.")
                % facts,
            )
            return None
        if problem == LocalTimeProblem.FOLD:
            name = self._add_fold_field(time_field, naive)
            # The field is added only now, so its value is read from the submitted data.
            fold = self.data.get(name)
            if fold not in ("0", "1"):
                self.add_error(
                    name,
                    _(
                        "The time %(time)s occurs twice on %(day)s (%(reason)s); "
                        "choose which one you mean."
                    )
                    % facts,
                )
                return None
            self.cleaned_data[name] = fold
            return naive.replace(tzinfo=self.local_tz, fold=int(fold))
        return naive.replace(tzinfo=self.local_tz)
