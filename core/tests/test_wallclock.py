"""The chosen reading of a twice-passed time is shown back: »02:30 (sommertid)« /
»02:30 (vintertid)« on the confirmation page and in the secretariat's list, for the autumn
folds of 2026–2030 (core.wallclock and its template filter); other times stay plain."""

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from core.tests.test_local_datetime import FOLDS, GAPS
from core.wallclock import is_ambiguous, wall_clock
from meetings.deadlines import TZ
from meetings.models import Meeting


def aware(naive: datetime, fold: int = 0) -> datetime:
    return naive.replace(tzinfo=TZ, fold=fold)


@pytest.mark.parametrize("switch", FOLDS, ids=str)
@pytest.mark.parametrize(("fold", "label"), [(0, "sommertid"), (1, "vintertid")])
def test_a_time_in_the_repeated_hour_says_which_of_the_two_it_is(switch, fold, label):
    moment = aware(switch.middle, fold)
    with translation.override("da"):
        assert wall_clock(moment) == f"{switch.middle:%H:%M} ({label})"
        rendered = Template('{% load wallclock %}{{ m|wallclock:"j. b Y H:i" }}').render(
            Context({"m": moment})
        )
    assert rendered.endswith(f"{switch.middle:%H:%M} ({label})")
    assert switch.middle.strftime("%H:%M") == "02:30"


@pytest.mark.parametrize("switch", FOLDS + GAPS, ids=str)
def test_times_around_a_switch_that_happen_once_are_shown_plainly(switch):
    before = aware(switch.first - timedelta(minutes=30))
    after = aware(switch.first + switch.hours + timedelta(minutes=30))
    with translation.override("da"):
        assert wall_clock(before) == f"{before:%H:%M}"
        assert wall_clock(after, "H:i") == f"{after:%H:%M}"
    assert not is_ambiguous(before) and not is_ambiguous(after)


def test_an_empty_time_is_shown_as_nothing():
    assert wall_clock(None) == ""
    assert Template("{% load wallclock %}{{ m|wallclock }}").render(Context({"m": None})) == ""


def _post(client, forums, switch, fold: int, **extra):
    return client.post(
        "/sekretariat/moeder/ny/",
        {
            "forum": forums["samarbejdsforum"].pk,
            "day": switch.day.isoformat(),
            "starts": "02:30",
            "starts_fold": str(fold),
            "ends": "04:00",
            "place": "Njalsgade 13",
            **extra,
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("switch", FOLDS, ids=str)
@pytest.mark.parametrize(("fold", "label"), [(0, "sommertid"), (1, "vintertid")])
def test_the_confirmation_and_the_meeting_list_show_the_chosen_reading(
    forums, secretariat_user, client, switch, fold, label
):
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        client.force_login(secretariat_user)
        confirmation = html.unescape(_post(client, forums, switch, fold).content.decode())
        assert f"02:30 ({label})–04:00" in confirmation
        assert not Meeting.objects.exists()
        assert _post(client, forums, switch, fold, confirm="1").status_code == 302
        listing = client.get(f"/sekretariat/moeder/?aar={switch.day.year}").content.decode()
    meeting = Meeting.objects.get()
    assert meeting.starts_at == aware(switch.middle, fold).astimezone(UTC)
    assert f"02:30 ({label})" in html.unescape(listing)
