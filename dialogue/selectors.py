"""Reads of the steering dialogue: a year's round as plain data (for the year wheel),
what is due (for the cockpit, core/due.py) and who may update a follow-up."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.due import DueItem
from dialogue.models import DialogueFollowUp, DialogueMeeting, DialogueRound, RoundStatus
from forums.models import Person
from meetings.deadlines import act_by, end_of_day, local_day, start_of_day


def rounds() -> QuerySet[DialogueRound]:
    return DialogueRound.objects.all()


def round_for_year_or_404(year: int) -> DialogueRound:
    dialogue_round = DialogueRound.objects.filter(year=year).first()
    if dialogue_round is None:
        raise Http404
    return dialogue_round


def round_areas(dialogue_round: DialogueRound):
    """The round's areas with everything the year's page shows, in one go."""
    return dialogue_round.areas.select_related("chosen_at__forum").prefetch_related(
        "organisations",
        "estates__organisation",
        "meetings__participants",
        "meetings__follow_ups__responsible",
        "meetings__issues__proposal__meeting",
    )


def year_round(year: int) -> dict | None:
    """The steering dialogue of `year` as plain data, for the year wheel; None when the
    year has no round. Shape::

        {"year": 2027, "status": "areas_chosen", "status_label": "Områder valgt",
         "url": "/sekretariat/styringsdialog/2027/",
         "areas": [{"name": "Mjølnerparken", "chosen_on": date(2027, 5, 12),
                    "organisations": ["…"], "meetings": [date(2027, 9, 3), …]}, …],
         "meetings": [date, …],        # every dialogue meeting of the year, in order
         "follow_ups_open": 3}

    Dates are `datetime.date` (Europe/Copenhagen); labels are translated strings."""
    dialogue_round = DialogueRound.objects.filter(year=year).first()
    if dialogue_round is None:
        return None
    areas = [
        {
            "name": area.name,
            "chosen_on": local_day(area.chosen_at.starts_at),
            "organisations": [str(o) for o in area.organisations.all()],
            "meetings": [m.held_on for m in area.meetings.all()],
        }
        for area in round_areas(dialogue_round)
    ]
    return {
        "year": dialogue_round.year,
        "status": dialogue_round.status,
        "status_label": str(dialogue_round.get_status_display()),
        "url": reverse("dialogue:round", kwargs={"year": dialogue_round.year}),
        "areas": areas,
        "meetings": sorted(day for area in areas for day in area["meetings"]),
        "follow_ups_open": open_follow_ups().filter(meeting__area__round=dialogue_round).count(),
    }


def open_follow_ups() -> QuerySet[DialogueFollowUp]:
    return DialogueFollowUp.objects.exclude(status=DialogueFollowUp.Status.DONE)


def due_dialogue(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """The due source (core/due.py): dialogue meetings from today until `until` (due at
    the start of their day) and follow-ups not done whose due date falls at or before
    `until` (due at the end of that day; overdue ones included). Rounds that are closed
    still show their open follow-ups: closing the round does not do the work."""
    today, last = local_day(now), local_day(until)
    meetings = DialogueMeeting.objects.filter(held_on__gte=today, held_on__lte=last).select_related(
        "area__round"
    )
    for meeting in meetings.exclude(area__round__status=RoundStatus.CLOSED):
        yield DueItem(
            kind="dialogue_meeting",
            label=_("Steering dialogue meeting"),
            due=start_of_day(meeting.held_on),
            act_on=act_by(meeting.held_on),
            url=reverse("dialogue:round", kwargs={"year": meeting.area.round.year}),
            meeting_label=str(meeting),
            rule="Kommissorium for Samarbejdsforum: den årlige styringsdialog",
            detail=meeting.place,
        )
    follow_ups = (
        open_follow_ups()
        .filter(due_on__lte=last)
        .select_related("meeting__area__round", "responsible")
    )
    for follow_up in follow_ups:
        yield DueItem(
            kind="dialogue_follow_up",
            label=_("Steering dialogue follow-up"),
            due=end_of_day(follow_up.due_on),
            act_on=act_by(follow_up.due_on),
            url=reverse("dialogue:round", kwargs={"year": follow_up.meeting.area.round.year}),
            meeting_label=str(follow_up.meeting),
            rule="Kommissorium for Samarbejdsforum: den årlige styringsdialog",
            detail=f"{follow_up.what[:80]} ({follow_up.responsible})",
        )


def may_update_follow_up(user, follow_up: DialogueFollowUp) -> bool:
    """The secretariat, or a signed-in person of the responsible organisation
    (Person.organisation), may change a follow-up's status."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    organisation = (
        Person.objects.filter(user=user).values_list("organisation_id", flat=True).first()
    )
    return organisation is not None and organisation == follow_up.responsible_id
