"""The one sentence every page says about a send still inside its grace period.

An outgoing send (an agenda, minutes, a revision, a call, a move, a cancellation) waits
settings.SEND_GRACE_MINUTES before any e-mail leaves, and can be undone until then
("Fortryd udsendelse"). While it waits, every page says the same time: the secretariat's
workspace, timeline and messages »Udsendes kl. HH:MM — kan fortrydes indtil da«, the
members' and the public page »Udsendes kl. HH:MM«; »udsendt« only once the period is over."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.wallclock import wall_clock


def in_grace(send_after: datetime | None, now: datetime | None = None) -> bool:
    """True while a send whose e-mails leave at `send_after` (aware; None: at once) waits."""
    return send_after is not None and (now or timezone.now()) < send_after


def pending_text(send_after: datetime) -> str:
    """»Udsendes kl. 10:05 — kan fortrydes indtil da« for a send leaving at `send_after`."""
    return _("Goes out at %(time)s — can be undone until then") % {"time": wall_clock(send_after)}


def pending_text_public(send_after: datetime) -> str:
    """»Udsendes kl. 10:05« for members and the public: the same time as the secretariat
    sees, without the secretariat's undo (members cannot undo, and an undone send leaves
    them nothing to read)."""
    return _("Goes out at %(time)s") % {"time": wall_clock(send_after)}


def grace_end(now: datetime, minutes: int | None = None) -> datetime:
    """When a send made at `now` leaves: `now` + `minutes` (default
    settings.SEND_GRACE_MINUTES, ≥ 0). The deadline engine reads this as the send time."""
    from datetime import timedelta

    from django.conf import settings

    return now + timedelta(minutes=settings.SEND_GRACE_MINUTES if minutes is None else minutes)
