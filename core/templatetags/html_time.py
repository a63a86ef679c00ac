"""`{{ value|html_datetime }}`: the value of a `<time datetime>` attribute.

Every template writes `<time datetime="{{ moment|html_datetime }}">`, never `date:'c'`:
Django's ISO format keeps microseconds (a deadline at the end of a day is
`…T23:59:59.999999+01:00`), and HTML allows at most three digits of a second's fraction
(HTML Living Standard, "valid global date and time string")."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value: date | datetime | None) -> str:
    """A date -> "YYYY-MM-DD"; a datetime -> local time to the second with its UTC offset,
    "YYYY-MM-DDTHH:MM:SS+HH:MM" (a naive one is taken as local time, without an offset);
    anything else -> "". Never raises."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return ""
