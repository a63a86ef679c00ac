"""Copenhagen wall-clock time as people read it, including which of a twice-passed time.

When the clocks go back (the last Sunday of October, 03:00 CEST → 02:00 CET) the times
02:00–02:59 happen twice. The forms ask which one is meant (core.forms.LocalDateTimeMixin,
PEP 495 `fold`); these helpers show the choice back: »02:30 (sommertid)« for the first
(CEST, UTC+2), »02:30 (vintertid)« for the second (CET, UTC+1). Any other time is shown
plainly."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def is_ambiguous(moment: datetime) -> bool:
    """True when `moment` (aware) falls in the local hour the clocks pass twice
    (PEP 495: the same wall time with the other `fold` has another UTC offset)."""
    local = timezone.localtime(moment)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def season_label(moment: datetime) -> str:
    """»sommertid« (daylight saving time in force, CEST) or »vintertid« (CET) for `moment`."""
    return _("summer time") if timezone.localtime(moment).dst() else _("winter time")


def wall_clock(moment: datetime | None, fmt: str = "H:i") -> str:
    """`moment` (aware) in local time with Django date format `fmt`, followed by
    » (sommertid)« or » (vintertid)« when the wall time is ambiguous; "" for None."""
    if moment is None:
        return ""
    text = date_format(timezone.localtime(moment), fmt)
    if is_ambiguous(moment):
        return f"{text} ({season_label(moment)})"
    return text
