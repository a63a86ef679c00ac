"""Members see their forums' whole history with its decisions (issue 14 §1): in the
archive, each past meeting of a forum the reader sits in links to its minutes' decisions
(»2 beslutninger«), counted as members may read them; nobody else sees the link."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import ngettext

from meetings.models import Meeting
from members.tests.test_member_page import NOW, meeting, sent_minutes
from minutes.models import Minutes, MinutesItem

pytestmark = pytest.mark.django_db


def decisions_link(m: Meeting, count: int) -> str:
    with translation.override("da"):
        text = ngettext("%(count)s decision", "%(count)s decisions", count) % {"count": count}
    return f'<a href="/moeder/{m.pk}/referat/">{text}</a>'


def with_decisions(m: Meeting, *decisions: str, **minutes_fields) -> Minutes:
    minutes = (
        sent_minutes(m, closes=NOW + timedelta(days=3), **minutes_fields)
        if not minutes_fields.get("draft")
        else Minutes.objects.create(meeting=m)
    )
    for position, decision in enumerate(("", *decisions), start=1):
        MinutesItem.objects.create(
            minutes=minutes, position=position, title=f"Punkt {position}", decision=decision
        )
    return minutes


def archive(client, user=None) -> str:
    with time_machine.travel(NOW, tick=False):
        if user:
            client.force_login(user)
        return client.get("/moeder/?arkiv=2027").content.decode()


@pytest.fixture
def meetings(forums):
    held = {"status": Meeting.Status.HELD}
    sf = meeting("samarbejdsforum", date(2027, 1, 13), "Samarbejdsforum i januar", **held)
    with_decisions(sf, "Godkendt.", "Taget til efterretning.")
    draft = meeting("samarbejdsforum", date(2027, 1, 6), "Kladde", **held)
    with_decisions(draft, "Endnu ikke udsendt.", draft=True)
    pending = meeting("samarbejdsforum", date(2027, 1, 20), "Fortrydes stadig", **held)
    with_decisions(pending, "Udsendes om lidt.", send_after=NOW + timedelta(minutes=4))
    return {"sf": sf, "draft": draft, "pending": pending}


def test_a_member_finds_the_decisions_of_their_forums_past_meetings_in_the_archive(
    meetings, member_user, client
):
    page = archive(client, member_user)
    assert decisions_link(meetings["sf"], 2) in page
    assert f'href="/moeder/{meetings["draft"].pk}/referat/"' not in page
    assert f'href="/moeder/{meetings["pending"].pk}/referat/"' not in page


def test_no_one_outside_the_forum_is_shown_the_decisions_link(meetings, other_member_user, client):
    link = f'href="/moeder/{meetings["sf"].pk}/referat/"'
    assert "Samarbejdsforum i januar" in archive(client, other_member_user)  # the meeting is
    assert link not in archive(client, other_member_user)
    client.logout()
    assert link not in archive(client)


def test_the_archive_counts_decisions_only_for_the_readers_own_forums(
    meetings, member_user, other_member_user, rf
):
    from meetings.archive import archive_context

    def counts(user) -> dict[str, int]:
        request = rf.get("/moeder/", {"arkiv": "2027"})
        request.user, request._messages = user, []
        with time_machine.travel(NOW, tick=False):
            return {m.title: m.decision_count for m in archive_context(request)["archive"]}

    assert counts(member_user)["Samarbejdsforum i januar"] == 2
    assert counts(other_member_user)["Samarbejdsforum i januar"] == 0
