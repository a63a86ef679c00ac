"""The secretariat's meeting pages: scheduling, the workspace (timeline, proposals to
decide, the agenda editor, sending), moving and cancelling, referrals."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.grace import pending_text
from core.pages import (
    LinkedWarning,
    post_action,
    reach_message,
)
from core.wallclock import wall_clock
from forums.selectors import forum_reach
from meetings import services
from meetings.models import Meeting


def _members_told(forum, kind: str, meeting, context: dict | None = None) -> dict:
    """The confirmation's recipients and subject for a message `kind` to `forum`'s members;
    `context` is what the service adds to the e-mail (services.meeting_mail_context)."""
    from notifications.services import render_subject

    return {
        "reach": forum_reach(forum),
        "subject": render_subject(kind, {"meeting": meeting, "forum": forum, **(context or {})}),
    }


def _when(meeting: Meeting) -> str:
    """»Samarbejdsforum, tirsdag 4. maj 2027, 14:00–16:00« (the chosen one of a twice-passed
    time marked »(sommertid)«/»(vintertid)«)."""
    start = wall_clock(meeting.starts_at, "l j. F Y, H:i")
    return f"{meeting.forum.name}, {start}–{wall_clock(meeting.ends_at, 'H:i')}"


def _grace_note(minutes: int | None = None) -> list[str]:
    """The confirmation's note on the grace period (settings.SEND_GRACE_MINUTES; none at 0)."""
    from django.conf import settings

    minutes = settings.SEND_GRACE_MINUTES if minutes is None else minutes
    if not minutes:
        return []
    return [
        ngettext(
            "The e-mails leave %(minutes)d minute after you send; until then you can undo "
            "the send on the meeting's page.",
            "The e-mails leave %(minutes)d minutes after you send; until then you can undo "
            "the send on the meeting's page.",
            minutes,
        )
        % {"minutes": minutes}
    ]


def _after_change(request, meeting: Meeting, *, done: str, sent: str) -> None:
    """Say whom a call, move or cancellation reaches: `sent` (with %(reach)s) once the
    e-mails are out; while they wait in the grace period, `done` and the one sentence of
    core/grace.py with the recipients in the future tense."""
    reach = forum_reach(meeting.forum)
    if meeting.mail_pending():
        pending = _("The e-mails: %(pending)s.") % {
            "pending": pending_text(meeting.mail_pending_until)
        }
        text = f"{done} {pending} {pending_reach_text(reach, plural=True)}"
    else:
        text = sent % {"reach": reach.text}
    reach_message(request, reach, text)


def _pending_warnings(meeting: Meeting) -> list[LinkedWarning]:
    """The move/cancel confirmation's warning, before its button, while the previous
    change's e-mails still wait (services.meeting_change_check), linking to the meeting's
    page, where »Fortryd udsendelse« withdraws them."""
    return [
        LinkedWarning(
            problem,
            reverse("meetings:workspace", args=[meeting.pk]),
            _("Undo the send on the meeting's page"),
        )
        for problem in services.meeting_change_check(meeting)
    ]


def _agenda_send_warnings(meeting: Meeting) -> list:
    """The agenda send confirmation's warnings from the service's own check
    (services.agenda_send_check: what must be fixed before the send is accepted, linking
    to the meeting's page) and the proposals still awaiting a decision, by title."""
    workspace = reverse("meetings:workspace", args=[meeting.pk])
    warnings: list = [
        LinkedWarning(
            _("The agenda cannot be sent yet. %(problem)s") % {"problem": problem},
            workspace,
            _("Fix it on the meeting's page"),
        )
        for problem in services.agenda_send_check(meeting)
    ]
    undecided = services.proposals_undecided(meeting)
    if undecided:
        warnings.append(
            LinkedWarning(
                ngettext(
                    "%(count)d proposal still awaits a decision and will not be on the "
                    "agenda: %(titles)s.",
                    "%(count)d proposals still await a decision and will not be on the "
                    "agenda: %(titles)s.",
                    len(undecided),
                )
                % {
                    "count": len(undecided),
                    "titles": ", ".join(f"»{p.title}«" for p in undecided),
                },
                workspace,
                _("Decide on the proposals"),
            )
        )
    return warnings


def _post_action(request, meeting_id: int, action, success: str):
    return post_action(request, action, success, reverse("meetings:workspace", args=[meeting_id]))


def pending_reach_text(reach, *, plural: bool = False) -> str:
    """Whom a send still in its grace period will reach, in the future tense: »Den når 2
    af 9 medlemmer — 7 uden e-mail: …«. `reach`: forums.selectors.Reach. `plural`: the
    sentence before has a plural subject (»E-mailene: …«), so it says »De når …«."""
    counts = {"reached": len(reach.reached), "total": len(reach.members)}
    if plural:
        text = _("They will reach %(reached)d of %(total)d members.") % counts
    else:
        text = _("It will reach %(reached)d of %(total)d members.") % counts
    if reach.without_email:
        names = ", ".join(p.name for p in reach.without_email)
        text += " " + _("Without e-mail: %(names)s.") % {"names": names}
    return text
