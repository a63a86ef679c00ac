"""The member's own page, /konto/ (issue 14 §5): coming meetings with my answer, open
proposal windows with a link straight to the form, minutes in their comment window, my
proposals, my organisation's follow-up actions and my calendar address — only ever of the
forums I sit in, in a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from forums.models import Organisation, Person
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings.deadlines import TZ
from meetings.models import Attendance, Meeting, Proposal
from meetings.services import _set_deadlines
from meetings.tests.factories import at
from members.selectors import member_page
from minutes.models import Comment, FollowUpAction, Minutes, MinutesItem, MinutesVersion

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def meeting(slug: str, day: date, title: str = "", **fields) -> Meeting:
    """A meeting as the scheduling service stores it (deadlines computed), without its
    e-mails: these tests read the page."""
    made = Meeting(
        forum=forum(slug), starts_at=at(day), ends_at=at(day, 16), place="Rådhuset", title=title
    )
    _set_deadlines(made)
    for name, value in fields.items():
        setattr(made, name, value)
    made.save()
    return made


def sent_minutes(m: Meeting, *, closes: datetime, send_after=None) -> Minutes:
    minutes = Minutes.objects.create(
        meeting=m,
        status=Minutes.Status.SENT,
        sent_at=NOW - timedelta(days=1),
        comments_close_at=closes,
    )
    MinutesVersion.objects.create(minutes=minutes, number=1, send_after=send_after)
    return minutes


def action(m: Meeting, what: str, responsible: Organisation, **fields) -> FollowUpAction:
    status = fields.pop("minutes_status", Minutes.Status.SENT)
    minutes = Minutes.objects.filter(meeting=m).first()
    if minutes is None and status == Minutes.Status.SENT:
        minutes = sent_minutes(m, closes=NOW - timedelta(days=1))
    elif minutes is None:
        minutes = Minutes.objects.create(meeting=m, status=status)
    item = MinutesItem.objects.create(minutes=minutes, position=1, title="Punkt", decision="Ja.")
    return FollowUpAction.objects.create(item=item, what=what, responsible=responsible, **fields)


def page_for(client, user) -> str:
    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
        return client.get("/konto/").content.decode()


@pytest.fixture
def bif():
    return Organisation.objects.get(short_name="BIF")


@pytest.fixture
def member(member_user, bif):
    """The Samarbejdsforum member, working for BIF."""
    Person.objects.filter(user=member_user).update(organisation=bif)
    return member_user


def test_the_page_shows_my_meetings_answer_window_minutes_proposals_and_actions(
    member, bif, client
):
    person = member.person
    march = meeting("samarbejdsforum", date(2027, 3, 10), "Martsmødet")
    Attendance.objects.create(meeting=march, person=person, status="absent")
    june = meeting("samarbejdsforum", date(2027, 6, 9), "Junimødet")
    Proposal.objects.create(
        meeting=march,
        proposer=member,
        title="Tryghed i Mjølnerparken",
        description="…",
        treatment="discussion",
    )
    past = meeting("samarbejdsforum", date(2027, 1, 20), status=Meeting.Status.HELD)
    minutes = sent_minutes(past, closes=datetime(2027, 2, 10, 23, 59, tzinfo=TZ))
    Comment.objects.create(minutes=minutes, author=person, body="Rettelse til punkt 1.")
    action(past, "Udarbejd notat om boligsocial anvisning", bif, due_on=date(2027, 4, 1))

    page = page_for(client, member)

    sections = [
        "Coming meetings",
        "Open for agenda proposals",
        "Minutes for your comments",
        "My proposals",
        "Follow-up actions for my organisation",
        "Calendar address",
    ]
    positions = [page.index(danish(heading)) for heading in sections]
    assert positions == sorted(positions)
    meetings_part = page[positions[0] : positions[1]]
    assert "Martsmødet" in meetings_part and "Junimødet" in meetings_part
    assert danish("Your answer: %(status)s.").split("%")[0] in meetings_part
    assert f"/moeder/{june.pk}/medlem/#attendance-heading" in meetings_part
    windows = page[positions[1] : positions[2]]
    assert f'href="/moeder/{march.pk}/forslag/ny/"' in windows
    assert f'href="/moeder/{june.pk}/forslag/ny/"' in windows
    assert "17. februar 2027" in windows  # Samarbejdsforum: the end of D − 21
    minutes_part = page[positions[2] : positions[3]]
    assert f"/moeder/{past.pk}/referat/" in minutes_part
    assert "10. februar 2027" in minutes_part and danish("You have commented.") in minutes_part
    assert "Tryghed i Mjølnerparken" in page[positions[3] : positions[4]]
    assert "Udarbejd notat om boligsocial anvisning" in page[positions[4] : positions[5]]


def test_every_section_says_so_when_it_is_empty(member, client):
    page = page_for(client, member)
    for sentence in [
        "Your forums have no coming meetings.",
        "No meeting of your forums takes agenda proposals at the moment.",
        "No minutes await your comments.",
        "You have made no agenda proposals.",
        "Your organisation has no open follow-up actions.",
    ]:
        assert danish(sentence) in page


def test_a_member_never_sees_anything_of_a_forum_they_are_not_in(
    member, other_member_user, bif, client
):
    marker = "MARKØR-PARTNERSKABSFORUM"
    pf = meeting("partnerskabsforum", date(2027, 5, 5), marker)
    sent_minutes(
        meeting("partnerskabsforum", date(2027, 1, 13), marker, status=Meeting.Status.HELD),
        closes=datetime(2027, 2, 10, 23, 59, tzinfo=TZ),
    )
    action(pf, marker, bif)
    Proposal.objects.create(
        meeting=pf, proposer=member, title=marker, description="…", treatment="discussion"
    )

    assert marker not in page_for(client, member)
    with time_machine.travel(NOW, tick=False):
        page = member_page(member)
    shown = [*page.meetings, *page.proposal_windows, *page.proposals, *page.actions]
    shown += [minutes.meeting for minutes in page.minutes_to_comment]
    assert shown == []
    assert marker in page_for(client, other_member_user)  # the marker is there to be seen


def test_a_styregruppe_member_sees_samarbejdsforum_through_composed_membership(forums, client):
    user = UserFactory(email="sg@example.org")
    person = PersonFactory(email="sg@example.org", user=user)
    MembershipFactory(
        person=person,
        forum=forum("tvaerkommunal-styregruppe"),
        seat=seat("tvaerkommunal-styregruppe"),
        starts_on=date(2026, 1, 1),
    )
    sf = meeting("samarbejdsforum", date(2027, 3, 10), "Samarbejdsforums martsmøde")
    with time_machine.travel(NOW, tick=False):
        page = member_page(user)
    assert pf_titles(page.meetings) == ["Samarbejdsforums martsmøde"]
    assert page.proposal_windows == [sf]


def pf_titles(meetings) -> list[str]:
    return [m.title for m in meetings]


def test_past_cancelled_and_archive_meetings_are_not_coming(member):
    meeting("samarbejdsforum", date(2027, 1, 27), "Forbi")  # not yet marked held by the sweep
    meeting("samarbejdsforum", date(2027, 3, 17), "Aflyst", status=Meeting.Status.CANCELLED)
    meeting("samarbejdsforum", date(2027, 4, 7), "Kommende")
    meeting("samarbejdsforum", date(2027, 5, 5), "Arkiv", is_archive=True)
    with time_machine.travel(NOW, tick=False):
        assert pf_titles(member_page(member).meetings) == ["Kommende"]


def test_a_closed_proposal_window_offers_no_proposal_form(member):
    closed = meeting("samarbejdsforum", date(2027, 2, 17), "Lukket")  # closed end of 27 Jan
    sent = meeting(
        "samarbejdsforum", date(2027, 5, 5), "Udsendt", status=Meeting.Status.AGENDA_SENT
    )
    open_ = meeting("samarbejdsforum", date(2027, 6, 9), "Åben")
    with time_machine.travel(NOW, tick=False):
        page = member_page(member)
    assert pf_titles(page.meetings) == ["Lukket", "Udsendt", "Åben"]
    assert page.proposal_windows == [open_]
    assert closed not in page.proposal_windows and sent not in page.proposal_windows


def test_borgmesterforum_members_are_offered_no_proposal_form_where_the_secretariat_sets_the_agenda(
    forums, secretariat_user
):
    user = UserFactory(email="bm@example.org")
    person = PersonFactory(email="bm@example.org", user=user)
    MembershipFactory(
        person=person,
        forum=forum("borgmesterforum"),
        seat=seat("borgmesterforum"),
        starts_on=date(2026, 1, 1),
    )
    bm = meeting("borgmesterforum", date(2027, 9, 8), "Borgmestermøde")
    with time_machine.travel(NOW, tick=False):
        assert pf_titles(member_page(user).meetings) == ["Borgmestermøde"]
        assert member_page(user).proposal_windows == []
        assert bm in member_page(secretariat_user).proposal_windows


def test_only_minutes_inside_their_open_comment_window_await_comments(member):
    held = {"status": Meeting.Status.HELD}
    open_ = sent_minutes(
        meeting("samarbejdsforum", date(2027, 1, 6), **held),
        closes=datetime(2027, 2, 1, 23, 59, tzinfo=TZ),
    )
    sent_minutes(  # closed yesterday
        meeting("samarbejdsforum", date(2026, 12, 9), **held),
        closes=datetime(2027, 1, 31, 23, 59, tzinfo=TZ),
    )
    sent_minutes(  # the first send still in its grace period: not out yet
        meeting("samarbejdsforum", date(2027, 1, 20), **held),
        closes=datetime(2027, 2, 15, 23, 59, tzinfo=TZ),
        send_after=NOW + timedelta(minutes=3),
    )
    Minutes.objects.create(meeting=meeting("samarbejdsforum", date(2027, 1, 27), **held))
    with time_machine.travel(NOW, tick=False):
        page = member_page(member)
    assert page.minutes_to_comment == [open_]
    assert page.minutes_to_comment[0].i_commented is False


def test_my_organisations_open_actions_of_sent_minutes_are_listed_and_no_others(member, bif):
    tmf = Organisation.objects.get(short_name="TMF")
    m1 = meeting("samarbejdsforum", date(2027, 1, 6), status=Meeting.Status.HELD)
    mine = action(m1, "BIF's handling", bif)
    m2 = meeting("samarbejdsforum", date(2026, 12, 9), status=Meeting.Status.HELD)
    action(m2, "TMF's handling", tmf)
    m3 = meeting("samarbejdsforum", date(2026, 11, 11), status=Meeting.Status.HELD)
    action(m3, "Færdig", bif, status=FollowUpAction.Status.DONE)
    m4 = meeting("samarbejdsforum", date(2026, 10, 7), status=Meeting.Status.HELD)
    action(m4, "Udkast", bif, minutes_status=Minutes.Status.DRAFT)
    with time_machine.travel(NOW, tick=False):
        assert member_page(member).actions == [mine]


def test_a_unit_sees_the_actions_of_the_administration_it_is_part_of(member):
    tmf = Organisation.objects.get(short_name="TMF")
    Person.objects.filter(user=member).update(
        organisation=Organisation.objects.get(short_name="CfB")
    )
    mine = action(meeting("samarbejdsforum", date(2027, 1, 6), status="held"), "TMF", tmf)
    with time_machine.travel(NOW, tick=False):
        assert member_page(member).actions == [mine]


def queries_for(client, user) -> int:
    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/konto/").status_code == 200
    return len(captured)


def test_the_page_takes_as_many_queries_for_8_meetings_as_for_2(member, bif, client):
    def add(day: date) -> None:
        m = meeting("samarbejdsforum", day, f"Møde {day}")
        Attendance.objects.create(meeting=m, person=member.person, status="attending")
        Proposal.objects.create(
            meeting=m,
            proposer=member,
            title=f"Forslag {day}",
            description="…",
            treatment="discussion",
        )
        past = meeting("samarbejdsforum", day - timedelta(days=400), status="held")
        sent_minutes(past, closes=datetime(2027, 2, 10, 23, 59, tzinfo=TZ))
        action(past, f"Handling {day}", bif)

    for weeks in (8, 12):
        add(date(2027, 3, 10) + timedelta(weeks=weeks))
    two = queries_for(client, member)
    for weeks in (16, 20, 24, 28, 32, 36):
        add(date(2027, 3, 10) + timedelta(weeks=weeks))
    assert len(member_page(member, now=NOW).meetings) == 8
    assert queries_for(client, member) == two


def test_the_header_links_to_my_page_in_one_click(member, client):
    with time_machine.travel(NOW, tick=False):
        client.force_login(member)
        home = client.get("/").content.decode()
    assert f'href="/konto/">{danish("My page")}</a>' in home
