"""Every write to the steering dialogue: rounds, estates, areas, dialogue meetings, their
follow-ups, and issues raised to Den Tværkommunale Styregruppe (issue 10 §2).

Each service validates, writes inside one transaction, and records an audit entry; a
refusal is a DomainError with a Danish message for the form."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from dialogue.models import (
    DialogueArea,
    DialogueFollowUp,
    DialogueIssue,
    DialogueMeeting,
    DialogueRound,
    Estate,
    RoundStatus,
)
from forums.models import Organisation
from meetings.models import Meeting, Proposal, Treatment
from minutes.models import FollowUpAction

PARTNERSKABSFORUM = "partnerskabsforum"
STYREGRUPPEN = "tvaerkommunal-styregruppe"
RESPONSIBLE_KINDS = FollowUpAction.RESPONSIBLE_KINDS  # the same as the minutes' actions

# The round's steps, in order; a round moves one step forward at a time.
ROUND_STEPS = list(RoundStatus)


def _save(instance, *, actor: Any, action: str, data: dict | None = None):
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, obj=instance, data=data)
    return instance


@transaction.atomic
def round_create(*, actor: Any, year: int, note: str = "") -> DialogueRound:
    """Open the steering dialogue of `year` (status »planning«). DomainError if the year
    already has a round."""
    if DialogueRound.objects.filter(year=year).exists():
        raise DomainError(
            {"year": _("The steering dialogue of %(year)s exists already.") % {"year": year}}
        )
    return _save(DialogueRound(year=year, note=note), actor=actor, action="dialogue.round_create")


def _round_step_error(dialogue_round: DialogueRound, status: str, today: date) -> str | None:
    """Why `dialogue_round` cannot move to `status` (None if it can): only one step
    forward; areas chosen needs an area; meetings held needs a held meeting in every area;
    closed needs the meetings held."""
    current, target = ROUND_STEPS.index(dialogue_round.status), ROUND_STEPS.index(status)
    if target != current + 1:
        return _("The round is »%(current)s«; it can only move on to the next step.") % {
            "current": dialogue_round.get_status_display()
        }
    areas = list(dialogue_round.areas.all())
    if status == RoundStatus.AREAS_CHOSEN and not areas:
        return _("Add the areas Partnerskabsforum chose first.")
    if status == RoundStatus.MEETINGS_HELD:
        waiting = [a.name for a in areas if not a.meetings.filter(held_on__lte=today).exists()]
        if waiting:
            return _("No dialogue meeting has been held yet in: %(areas)s.") % {
                "areas": ", ".join(waiting)
            }
    return None


@transaction.atomic
def round_advance(
    *, actor: Any, dialogue_round: DialogueRound, status: str, today: date | None = None
) -> DialogueRound:
    """Move the round one step forward (planning → areas chosen → meetings held →
    closed). DomainError naming what is missing; a closed round stays closed."""
    dialogue_round = DialogueRound.objects.select_for_update().get(pk=dialogue_round.pk)
    if status not in RoundStatus.values:
        raise DomainError({"status": _("Choose a valid status.")})
    error = _round_step_error(dialogue_round, status, today or timezone.localdate())
    if error:
        raise DomainError(error)
    old = dialogue_round.status
    dialogue_round.status = status
    dialogue_round.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="dialogue.round_status",
        obj=dialogue_round,
        data={"from": old, "to": status},
    )
    return dialogue_round


def _check_open(dialogue_round: DialogueRound) -> None:
    if dialogue_round.status == RoundStatus.CLOSED:
        raise DomainError(
            _("The steering dialogue of %(year)s is closed.") % {"year": dialogue_round.year}
        )


@transaction.atomic
def estate_save(*, actor: Any, estate: Estate, **fields) -> Estate:
    """Create or change an estate ("afdeling") of a housing organisation. DomainError if
    the organisation is not a housing organisation."""
    for name, value in fields.items():
        setattr(estate, name, value)
    if (
        estate.organisation_id
        and estate.organisation.kind != Organisation.Kind.HOUSING_ORGANISATION
    ):
        raise DomainError({"organisation": _("An estate belongs to a housing organisation.")})
    action = "dialogue.estate_update" if estate.pk else "dialogue.estate_create"
    return _save(estate, actor=actor, action=action)


def choosing_meetings(year: int, now: datetime | None = None):
    """The Partnerskabsforum meetings that can have chosen the areas of the `year` round:
    not cancelled, held (starting before `now`, an aware datetime; default now) and lying
    in `year` or the year before (local time). A Meeting queryset, earliest first."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    return (
        Meeting.objects.filter(
            forum__slug=PARTNERSKABSFORUM,
            starts_at__lt=min(now, datetime(year + 1, 1, 1, tzinfo=tz)),
            starts_at__gte=datetime(year - 1, 1, 1, tzinfo=tz),
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
    )


def _check_area(
    chosen_at: Meeting, organisations, estates, year: int | None = None, now=None
) -> None:
    now = now or timezone.now()
    if chosen_at.forum.slug != PARTNERSKABSFORUM:
        raise DomainError(
            {
                "chosen_at": _(
                    "The areas are chosen by Partnerskabsforum; »%(meeting)s« is a meeting of %(forum)s."
                )
                % {"meeting": chosen_at, "forum": chosen_at.forum.name}
            }
        )
    if chosen_at.status == Meeting.Status.CANCELLED:
        raise DomainError(
            {"chosen_at": _("The meeting »%(meeting)s« was cancelled.") % {"meeting": chosen_at}}
        )
    if chosen_at.starts_at >= now:
        raise DomainError(
            {
                "chosen_at": _(
                    "The meeting »%(meeting)s« has not been held yet; choose a meeting that has."
                )
                % {"meeting": chosen_at}
            }
        )
    chosen_year = timezone.localtime(chosen_at.starts_at).year
    if year is not None and chosen_year not in (year - 1, year):
        raise DomainError(
            {
                "chosen_at": _(
                    "The areas of %(year)s are chosen at a meeting in %(before)s or %(year)s; »%(meeting)s« lies in %(chosen)s."
                )
                % {"year": year, "before": year - 1, "meeting": chosen_at, "chosen": chosen_year}
            }
        )
    not_housing = [
        str(o) for o in organisations if o.kind != Organisation.Kind.HOUSING_ORGANISATION
    ]
    if not_housing:
        raise DomainError(
            {
                "organisations": _("Not a housing organisation: %(names)s.")
                % {"names": ", ".join(not_housing)}
            }
        )
    chosen = {o.pk for o in organisations}
    outside = [str(e) for e in estates if e.organisation_id not in chosen]
    if outside:
        raise DomainError(
            {
                "estates": _(
                    "These estates belong to an organisation not chosen for the area: %(names)s."
                )
                % {"names": "; ".join(outside)}
            }
        )


@transaction.atomic
def area_add(
    *,
    actor: Any,
    dialogue_round: DialogueRound,
    name: str,
    chosen_at: Meeting,
    organisations=(),
    estates=(),
) -> DialogueArea:
    """Add an area chosen by the Partnerskabsforum meeting `chosen_at` to the year's round,
    with the housing organisations and their estates involved.

    DomainError: the round is closed; `chosen_at` is not a Partnerskabsforum meeting (the
    mandate: Partnerskabsforum discusses where joint dialogue meetings are needed) or was
    cancelled, has not been held yet (starts at or after now) or lies outside the round's
    year and the year before; an organisation is no housing organisation; an estate
    belongs to an organisation not chosen; the area is already chosen for the year."""
    _check_open(dialogue_round)
    organisations, estates = list(organisations), list(estates)
    _check_area(chosen_at, organisations, estates, year=dialogue_round.year)
    area = _save(
        DialogueArea(round=dialogue_round, name=name.strip(), chosen_at=chosen_at),
        actor=actor,
        action="dialogue.area_add",
        data={"year": dialogue_round.year},
    )
    area.organisations.set(organisations)
    area.estates.set(estates)
    return area


@transaction.atomic
def meeting_add(
    *,
    actor: Any,
    area: DialogueArea,
    held_on: date,
    place: str = "",
    participants=(),
    other_participants: str = "",
    documents: str = "",
    summary: str = "",
) -> DialogueMeeting:
    """Record a dialogue meeting in `area` (date, place, participants, documents as lines,
    summary). DomainError (at `held_on`) if the round is closed, the date lies outside its
    year or before the day the area was chosen, or the area already has a meeting on that
    day at that place (a repeated post of the same form)."""
    _check_open(area.round)
    if held_on.year != area.round.year:
        raise DomainError(
            {
                "held_on": _("The date must lie in %(year)s, the round's year.")
                % {"year": area.round.year}
            }
        )
    chosen_on = timezone.localdate(area.chosen_at.starts_at)
    if held_on < chosen_on:
        raise DomainError(
            {
                "held_on": _(
                    "The area was chosen on %(day)s; the dialogue meeting cannot lie before that."
                )
                % {"day": chosen_on.strftime("%d.%m.%Y")}
            }
        )
    if DialogueMeeting.objects.filter(
        area=area, held_on=held_on, place__iexact=place.strip()
    ).exists():
        raise DomainError(
            {
                "held_on": _(
                    "A dialogue meeting in »%(area)s« on %(day)s at this place is already saved."
                )
                % {"area": area.name, "day": held_on.strftime("%d.%m.%Y")}
            }
        )
    meeting = _save(
        DialogueMeeting(
            area=area,
            held_on=held_on,
            place=place.strip(),
            other_participants=other_participants.strip(),
            documents=documents.strip(),
            summary=summary.strip(),
        ),
        actor=actor,
        action="dialogue.meeting_add",
    )
    meeting.participants.set(list(participants))
    return meeting


@transaction.atomic
def follow_up_add(
    *, actor: Any, meeting: DialogueMeeting, what: str, responsible: Organisation, due_on=None
) -> DialogueFollowUp:
    """A follow-up agreed in `meeting`, assigned to an administration or a housing
    organisation (the agreements bind both sides). DomainError for another kind, or (at
    `due_on`) a due date before the dialogue meeting."""
    if due_on is not None and due_on < meeting.held_on:
        raise DomainError(
            {
                "due_on": _("The due date cannot lie before the dialogue meeting (%(day)s).")
                % {"day": meeting.held_on.strftime("%d.%m.%Y")}
            }
        )
    if responsible.kind not in RESPONSIBLE_KINDS:
        raise DomainError(
            {
                "responsible": _(
                    "A follow-up is assigned to an administration or a housing organisation."
                )
            }
        )
    follow_up = DialogueFollowUp(
        meeting=meeting, what=what.strip(), responsible=responsible, due_on=due_on, updated_by=actor
    )
    return _save(follow_up, actor=actor, action="dialogue.follow_up_add")


@transaction.atomic
def follow_up_set_status(
    *, actor: Any, follow_up: DialogueFollowUp, status: str
) -> DialogueFollowUp:
    """Change a follow-up's status: the secretariat, or a person of the responsible
    organisation (dialogue.selectors.may_update_follow_up). DomainError otherwise."""
    from dialogue.selectors import may_update_follow_up

    if not may_update_follow_up(actor, follow_up):
        raise DomainError(
            _("Only the responsible organisation or the secretariat can update this follow-up.")
        )
    if status not in DialogueFollowUp.Status.values:
        raise DomainError({"status": _("Choose a valid status.")})
    DialogueFollowUp.objects.filter(pk=follow_up.pk).update(
        status=status, updated_by=actor, updated_at=timezone.now()
    )
    audit_record(
        actor=actor, action="dialogue.follow_up_status", obj=follow_up, data={"status": status}
    )
    follow_up.refresh_from_db()
    return follow_up


def styregruppen_next_open_meeting(now: datetime) -> Meeting | None:
    """Den Tværkommunale Styregruppe's first coming meeting whose proposal window is open
    at `now` (meetings.selectors.proposals_open), or None."""
    from meetings.selectors import proposals_open

    coming = Meeting.objects.filter(
        forum__slug=STYREGRUPPEN, starts_at__gt=now, status=Meeting.Status.PLANNED, is_archive=False
    ).order_by("starts_at")
    return next((m for m in coming if proposals_open(m, now)), None)


@transaction.atomic
def issue_raise(
    *,
    actor: Any,
    meeting: DialogueMeeting,
    title: str,
    description: str,
    responsible: Organisation | None = None,
    treatment: str = Treatment.DISCUSSION,
    now: datetime | None = None,
) -> DialogueIssue:
    """Raise an issue from a dialogue meeting as a proposal for Den Tværkommunale
    Styregruppe's agenda (the seed names »styringsdialogen« as a source of its items).

    The proposal goes to Styregruppen's next meeting with an open proposal window, through
    meetings.services.proposal_submit (its own checks apply); its text says it comes from
    the steering dialogue, and the DialogueIssue keeps the link. DomainError when
    Styregruppen has no coming meeting that takes proposals."""
    from meetings.services import proposal_submit

    now = now or timezone.now()
    target = styregruppen_next_open_meeting(now)
    if target is None:
        raise DomainError(
            _(
                "Den Tværkommunale Styregruppe has no coming meeting that takes proposals; schedule one first."
            )
        )
    source = _("Raised in the steering dialogue %(year)s, %(area)s, meeting of %(day)s.") % {
        "year": meeting.area.round.year,
        "area": meeting.area.name,
        "day": meeting.held_on.strftime("%d.%m.%Y"),
    }
    proposal: Proposal = proposal_submit(
        actor=actor,
        meeting=target,
        title=title.strip(),
        description=f"{description.strip()}\n\n{source}",
        treatment=treatment,
        responsible=responsible,
        now=now,
    )
    issue = DialogueIssue.objects.create(
        meeting=meeting, title=title.strip(), description=description.strip(), proposal=proposal
    )
    audit_record(
        actor=actor,
        action="dialogue.issue_raise",
        obj=issue,
        data={"proposal": proposal.pk, "meeting": target.pk},
    )
    return issue
