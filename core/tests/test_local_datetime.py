"""Time as people mean it: a wall-clock time the clocks skip is refused at the field, and
one the clocks pass twice is asked about (»sommertid (CEST)« / »vintertid (CET)«), with
everything typed kept. The switches of 2026–2030 are computed with zoneinfo."""

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django import forms
from django.utils import translation

from core.forms import LocalDateTimeMixin, LocalTimeProblem, local_time_problem
from core.models import AuditEntry
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.tests.factories import at
from notifications.models import OutboxMessage


@dataclass(frozen=True)
class Switch:
    """One daylight-saving switch in Copenhagen, as the wall clock shows it."""

    day: date
    first: datetime  # the first wall-clock minute that is skipped or repeated (naive)
    hours: timedelta  # how long the skipped or repeated stretch is
    forward: bool  # True: summer time begins (a gap); False: it ends (a fold)

    @property
    def middle(self) -> datetime:
        return self.first + self.hours / 2

    def __str__(self) -> str:
        return f"{self.day}-{'gap' if self.forward else 'fold'}"


def _switches(years: range) -> list[Switch]:
    """Every change of Copenhagen's UTC offset in `years`, found hour by hour in UTC."""
    found = []
    moment = datetime(years.start, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(TZ).utcoffset()
    while moment.year < years.stop:
        moment += timedelta(hours=1)
        new = moment.astimezone(TZ).utcoffset()
        if new != offset:
            wall = (moment + offset).replace(tzinfo=None)  # the clock just before the switch
            step = new - offset
            first = wall if step > timedelta(0) else wall + step
            found.append(Switch(first.date(), first, abs(step), step > timedelta(0)))
            offset = new
        if moment.year >= years.stop:
            break
    return found


SWITCHES = _switches(range(2026, 2031))
GAPS = [s for s in SWITCHES if s.forward]
FOLDS = [s for s in SWITCHES if not s.forward]


def test_the_switches_of_2026_to_2030_are_one_spring_and_one_autumn_each_year():
    assert [s.day.year for s in GAPS] == [2026, 2027, 2028, 2029, 2030]
    assert [s.day.year for s in FOLDS] == [2026, 2027, 2028, 2029, 2030]
    assert all(s.day.month == 3 for s in GAPS) and all(s.day.month == 10 for s in FOLDS)


@pytest.mark.parametrize("switch", SWITCHES, ids=str)
def test_a_time_the_clocks_skip_is_a_gap_and_one_they_repeat_is_a_fold(switch):
    expected = LocalTimeProblem.GAP if switch.forward else LocalTimeProblem.FOLD
    assert local_time_problem(switch.first, TZ) == expected
    assert local_time_problem(switch.middle, TZ) == expected
    assert local_time_problem(switch.first - timedelta(minutes=1), TZ) is None
    assert local_time_problem(switch.first + switch.hours, TZ) is None


class _AppointmentForm(LocalDateTimeMixin, forms.Form):
    day = forms.DateField()
    starts = forms.TimeField()
    note = forms.CharField()
    local_datetimes = {"starts_at": ("day", "starts")}
    local_tz = TZ


def _bound(moment: datetime, **extra) -> _AppointmentForm:
    return _AppointmentForm(
        {"day": moment.date().isoformat(), "starts": moment.strftime("%H:%M"), "note": "x", **extra}
    )


@pytest.mark.parametrize("switch", GAPS, ids=str)
def test_the_mixin_refuses_a_skipped_time_at_the_time_field(switch):
    form = _bound(switch.middle)
    assert not form.is_valid()
    assert list(form.errors) == ["starts"] and "starts_at" not in form.cleaned_data


@pytest.mark.parametrize("switch", FOLDS, ids=str)
@pytest.mark.parametrize("fold", [0, 1])
def test_the_mixin_reads_a_repeated_time_as_the_instant_chosen(switch, fold):
    form = _bound(switch.middle)
    assert not form.is_valid() and list(form.errors) == ["starts_fold"]
    assert [label for _v, label in form.fields["starts_fold"].choices] == [
        "sommertid (CEST)",
        "vintertid (CET)",
    ]
    chosen = _bound(switch.middle, starts_fold=str(fold))
    assert chosen.is_valid(), chosen.errors
    moment = chosen.cleaned_data["starts_at"]
    assert moment.fold == fold
    # The two readings are one hour apart, the summer-time one first.
    assert moment.utcoffset() == timedelta(hours=2 - fold)


def test_an_ordinary_time_needs_no_choice():
    form = _bound(datetime(2027, 6, 1, 2, 30))
    assert form.is_valid() and "starts_fold" not in form.fields
    assert form.cleaned_data["starts_at"] == datetime(2027, 6, 1, 2, 30, tzinfo=TZ)


# --- Through the meeting forms -------------------------------------------------------------


def _schedule(client, forums, moment: datetime, **extra):
    return client.post(
        "/sekretariat/moeder/ny/",
        {
            "forum": forums["samarbejdsforum"].pk,
            "title": "Natmøde om varmeforsyning",
            "day": moment.date().isoformat(),
            "starts": moment.strftime("%H:%M"),
            "ends": "16:00",
            "place": "Njalsgade 13",
            "confirm": "1",
            **extra,
        },
    )


@pytest.fixture
def january_2026():
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        yield


def test_scheduling_at_0230_on_28_march_2027_says_the_time_does_not_exist(
    forums, secretariat_client, january_2026
):
    response = _schedule(secretariat_client, forums, datetime(2027, 3, 28, 2, 30))
    assert response.status_code == 200
    assert response.context["form"].errors["starts"] == [
        "Kl. 02:30 findes ikke den 28. marts 2027 (sommertid begynder); vælg et andet tidspunkt."
    ]
    assert not Meeting.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("switch", GAPS, ids=str)
def test_scheduling_in_a_skipped_hour_is_refused_at_the_start_and_keeps_what_was_typed(
    forums, secretariat_client, january_2026, switch
):
    response = _schedule(secretariat_client, forums, switch.middle)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["starts"]
    page = html.unescape(response.content.decode())
    assert "Natmøde om varmeforsyning" in page and "Njalsgade 13" in page
    assert not Meeting.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("switch", FOLDS, ids=str)
def test_scheduling_in_a_repeated_hour_asks_which_one_and_keeps_what_was_typed(
    forums, secretariat_client, january_2026, switch
):
    response = _schedule(secretariat_client, forums, switch.middle)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["starts_fold"]
    with translation.override("da"):
        labels = [str(label) for _v, label in form.fields["starts_fold"].choices]
    page = html.unescape(response.content.decode())
    assert "sommertid (CEST)" in page and "vintertid (CET)" in page
    assert labels == ["sommertid (CEST)", "vintertid (CET)"]
    assert "Natmøde om varmeforsyning" in page and "Njalsgade 13" in page
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("switch", FOLDS, ids=str)
@pytest.mark.parametrize("fold", [0, 1])
def test_the_chosen_reading_of_a_repeated_hour_is_the_instant_stored(
    forums, secretariat_client, january_2026, switch, fold
):
    response = _schedule(secretariat_client, forums, switch.middle, starts_fold=str(fold))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    expected = switch.middle.replace(tzinfo=TZ, fold=fold).astimezone(UTC)
    assert meeting.starts_at == expected
    # Summer time (fold 0) is the earlier instant: one hour before winter time's.
    other = switch.middle.replace(tzinfo=TZ, fold=1 - fold).astimezone(UTC)
    assert (other - expected) == timedelta(hours=1 if fold == 0 else -1)


def test_moving_a_meeting_into_a_skipped_hour_is_refused_and_the_meeting_stays(
    forums, secretariat_client, secretariat_user, january_2026
):
    from meetings import services

    meeting = services.meeting_schedule(
        actor=secretariat_user,
        forum=forums["samarbejdsforum"],
        starts_at=at(date(2027, 3, 20), 14),
        ends_at=at(date(2027, 3, 20), 16),
        place="Rådhuset",
        title="",
        is_archive=False,
    )
    gap = GAPS[1]
    response = secretariat_client.post(
        f"/sekretariat/moeder/{meeting.pk}/flyt/",
        {
            "day": gap.day.isoformat(),
            "starts": gap.middle.strftime("%H:%M"),
            "ends": "16:00",
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["starts"]
    meeting.refresh_from_db()
    assert meeting.starts_at == at(date(2027, 3, 20), 14) and meeting.sequence == 0
    assert time(14, 0) == meeting.starts_at.astimezone(TZ).time()


@pytest.mark.parametrize("fold", [0, 1])
def test_moving_a_meeting_held_in_a_repeated_hour_shows_the_reading_it_has(
    forums, secretariat_client, secretariat_user, january_2026, fold
):
    from meetings import services

    switch = FOLDS[1]
    starts_at = switch.middle.replace(tzinfo=TZ, fold=fold)
    meeting = services.meeting_schedule(
        actor=secretariat_user,
        forum=forums["samarbejdsforum"],
        starts_at=starts_at,
        ends_at=at(switch.day, 16),
        place="Rådhuset",
        title="",
        is_archive=False,
    )
    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/flyt/")
    field = page.context["form"]["starts_fold"]
    assert field.value() == str(fold)
    radios = re.findall(r'<input[^>]*name="starts_fold"[^>]*>', page.content.decode())
    assert [("checked" in r, f'value="{fold}"' in r) for r in radios if "checked" in r] == [
        (True, True)
    ]
    # Saving the form as shown keeps the same instant: nothing moves, no one is told.
    response = secretariat_client.post(
        f"/sekretariat/moeder/{meeting.pk}/flyt/",
        {
            "day": switch.day.isoformat(),
            "starts": switch.middle.strftime("%H:%M"),
            "starts_fold": str(fold),
            "ends": "16:00",
            "place": "Rådhuset",
            "confirm": "1",
        },
    )
    meeting.refresh_from_db()
    assert meeting.starts_at == starts_at.astimezone(UTC)
    assert response.status_code in (200, 302)
