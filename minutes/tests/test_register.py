"""The decisions register: the decisions and follow-up actions of the forums a user sits
in (never another forum's, never a draft's), filtered and exported as CSV; the responsible
administration or the secretariat moves an action on; and open actions come back as
"Opfølgning på beslutninger" on the forum's next agenda until they are done."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry
from forums.models import Organisation, Person
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import at, schedule
from minutes import services
from minutes.models import FollowUpAction, Minutes

pytestmark = pytest.mark.django_db

TODAY = datetime(2027, 6, 15, 10, 0, tzinfo=TZ)  # the day the register is read
SF_DECISION = "Forvaltningerne udarbejder et notat om fleksibel udlejning."
PF_DECISION = "Partnerskabet justerer hovedaftalens prioriteringer."
NOTE = "Notat om fleksibel udlejning"  # BIF, due 30 April: open, so overdue
PLAN = "Tidsplan for helhedsplanen"  # TMF, due 30 June: in progress
HEARING = "Høring af boligorganisationerne"  # BIF, due 31 March: done
ADJUST = "Justering af hovedaftalen"  # Partnerskabsforum, ØKF, due 30 September


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def org(short: str) -> Organisation:
    return Organisation.objects.get(short_name=short)


def minutes_with_actions(
    forum_slug: str, day: date, actor, decision: str, actions: list[tuple], *, send: bool = True
) -> Minutes:
    """A meeting of the forum with one decided item and its follow-up actions
    (what, responsible, due, status); its minutes sent two days later unless send=False."""
    with travel(at(day - timedelta(days=150), 9)):
        meeting = schedule(forum(forum_slug), day=day)
        AgendaItem.objects.create(
            meeting=meeting, position=meeting.items.count() + 1, title="Fleksibel udlejning"
        )
    with travel(at(day, 17)):
        minutes = services.minutes_start(actor=actor, meeting=meeting)
        item = minutes.items.get(title="Fleksibel udlejning")
        services.minutes_save(
            actor=actor,
            minutes=minutes,
            lock_version=0,
            introduction="",
            items={item.pk: {"summary": "Drøftet.", "decision": decision}},
        )
        for what, responsible, due_on, status in actions:
            action = services.action_add(
                actor=actor, item=item, what=what, responsible=org(responsible), due_on=due_on
            )
            if status != FollowUpAction.Status.OPEN:
                services.action_set_status(actor=actor, action=action, status=status)
    if send:
        with travel(at(day + timedelta(days=2), 10)):
            services.minutes_send(actor=actor, minutes=minutes)
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def register(forums, secretariat_user, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    sf = minutes_with_actions(
        "samarbejdsforum",
        date(2027, 3, 10),
        secretariat_user,
        SF_DECISION,
        [
            (NOTE, "BIF", date(2027, 4, 30), FollowUpAction.Status.OPEN),
            (PLAN, "TMF", date(2027, 6, 30), FollowUpAction.Status.IN_PROGRESS),
            (HEARING, "BIF", date(2027, 3, 31), FollowUpAction.Status.DONE),
        ],
    )
    pf = minutes_with_actions(
        "partnerskabsforum",
        date(2027, 5, 12),
        secretariat_user,
        PF_DECISION,
        [(ADJUST, "ØKF", date(2027, 9, 30), FollowUpAction.Status.OPEN)],
    )
    return {"sf": sf, "pf": pf}


@pytest.fixture
def bif_member(forums):
    """A member of Den Tværkommunale Styregruppe for BIF — and so, through it, of
    Samarbejdsforum — whose Person belongs to BIF."""
    user = UserFactory(email="bif@example.org", full_name="Birgit Beskæftigelse")
    person = PersonFactory(
        name=user.full_name,
        email=user.email,
        user=user,
        organisation=org("BIF"),
        level=Person.Level.HEAD_OF_OFFICE,  # Styregruppen's seat asks for kontorchef or higher
    )
    slug = "tvaerkommunal-styregruppe"
    MembershipFactory(
        person=person, forum=forum(slug), seat=seat(slug, organisation__short_name="BIF")
    )
    return user


def action(what: str) -> FollowUpAction:
    return FollowUpAction.objects.get(what=what)


def listed(client, user, query: str = "") -> tuple[set[str], set[str], str]:
    """What the register shows `user`: the actions, the decisions and the page."""
    with travel(TODAY):
        client.force_login(user)
        response = client.get(f"/beslutninger/{query}")
    assert response.status_code == 200
    actions = {a.what for a in response.context["actions"]}
    decisions = {d.decision for d in response.context["decisions"]}
    return actions, decisions, response.content.decode()


def row_of(html: str, what: str) -> str:
    [row] = [row for row in re.split(r"<tr\b", html) if escape(what) in row]
    return row


# --- Who sees what ------------------------------------------------------------------------------


def test_the_register_lists_the_decisions_and_actions_of_the_users_own_forums_only(
    register, member_user, other_member_user, secretariat_user, client
):
    actions, decisions, html = listed(client, member_user)
    assert actions == {NOTE, PLAN, HEARING}
    assert decisions == {SF_DECISION}
    assert escape(ADJUST) not in html and escape(PF_DECISION) not in html

    actions, decisions, html = listed(client, other_member_user)
    assert actions == {ADJUST}
    assert decisions == {PF_DECISION}
    assert escape(NOTE) not in html and escape(SF_DECISION) not in html
    # Asking for the other forum by name shows nothing of it.
    actions, decisions, _html = listed(client, other_member_user, "?forum=samarbejdsforum")
    assert actions == {ADJUST} and decisions == {PF_DECISION}

    actions, decisions, _html = listed(client, secretariat_user)
    assert actions == {NOTE, PLAN, HEARING, ADJUST}
    assert decisions == {SF_DECISION, PF_DECISION}


def test_the_decisions_and_actions_of_draft_minutes_are_not_in_the_register(
    register, member_user, secretariat_user, client
):
    minutes_with_actions(
        "samarbejdsforum",
        date(2027, 6, 9),
        secretariat_user,
        "Et beslutningsudkast.",
        [("Udkast til handling", "SOF", date(2027, 8, 1), FollowUpAction.Status.OPEN)],
        send=False,
    )
    actions, decisions, html = listed(client, member_user)
    assert actions == {NOTE, PLAN, HEARING}
    assert decisions == {SF_DECISION}
    assert "Udkast til handling" not in html and "Et beslutningsudkast." not in html
    with travel(TODAY):
        client.force_login(member_user)
        exported = client.get("/beslutninger/eksport.csv").content.decode("utf-8-sig")
    assert "Udkast til handling" not in exported


# --- Filters and overdue -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?forum=samarbejdsforum", {NOTE, PLAN, HEARING}),
        ("?forum=partnerskabsforum", {ADJUST}),
        ("?responsible={BIF}", {NOTE, HEARING}),
        ("?responsible={ØKF}", {ADJUST}),
        ("?status=done", {HEARING}),
        ("?status=in_progress", {PLAN}),
        ("?due_before=2027-04-30", {NOTE, HEARING}),
        ("?overdue=on", {NOTE}),
        ("?forum=samarbejdsforum&responsible={BIF}&status=open", {NOTE}),
    ],
)
def test_the_register_filters_by_forum_responsible_status_due_date_and_overdue(
    register, secretariat_user, client, query, expected
):
    query = query.format(BIF=org("BIF").pk, ØKF=org("ØKF").pk)
    actions, _decisions, _html = listed(client, secretariat_user, query)
    assert actions == expected


def test_overdue_actions_are_marked_and_done_ones_are_not(register, member_user, client):
    _actions, _decisions, html = listed(client, member_user)
    badge = escape(danish("overdue"))
    assert 'class="overdue"' in row_of(html, NOTE) and badge in row_of(html, NOTE)
    for what in (PLAN, HEARING):  # not yet due; due but done
        assert 'class="overdue"' not in row_of(html, what) and badge not in row_of(html, what)


def test_the_csv_export_has_a_bom_a_header_and_one_semicolon_separated_row_per_action(
    register, member_user, client
):
    with travel(TODAY):
        client.force_login(member_user)
        response = client.get("/beslutninger/eksport.csv")
        done = client.get("/beslutninger/eksport.csv?status=done")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "beslutninger.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = [
        "Forum",
        "Meeting",
        "Item",
        "Decision",
        "Action",
        "Responsible administration",
        "Due date",
        "Status",
    ]
    assert rows[0] == [danish(column) for column in header]
    assert len(rows) == 1 + 3
    assert all(len(row) == len(header) for row in rows)
    assert [
        "Samarbejdsforum",
        "2027-03-10",
        "2. Fleksibel udlejning",
        SF_DECISION,
        NOTE,
        "Beskæftigelses- og Integrationsforvaltningen",
        "2027-04-30",
        danish("Open"),
    ] in rows
    assert sorted(row[4] for row in rows[1:]) == sorted([NOTE, PLAN, HEARING])
    done_rows = list(csv.reader(io.StringIO(done.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[4] for row in done_rows[1:]] == [HEARING]


def test_the_xlsx_export_has_the_csv_columns_with_danish_headers_and_dates_as_dates(
    register, member_user, client
):
    with travel(TODAY):
        client.force_login(member_user)
        response = client.get("/beslutninger/eksport.xlsx")
        as_csv = client.get("/beslutninger/eksport.csv")
        done = client.get("/beslutninger/eksport.xlsx?status=done")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "beslutninger.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == danish("Decisions register")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    csv_rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == csv_rows[0]  # the same Danish headers
    assert rows[0][0] == danish("Forum") and rows[0][6] == danish("Due date")
    assert len(rows) == len(csv_rows) == 1 + 3
    # The same rows, but the meeting day and the due date are dates, not text.
    as_text = [
        [v.date().isoformat() if isinstance(v, datetime) else ("" if v is None else v) for v in row]
        for row in rows[1:]
    ]
    assert sorted(as_text) == sorted(csv_rows[1:])
    [note] = [row for row in sheet.iter_rows(min_row=2) if row[4].value == NOTE]
    assert note[1].is_date and note[1].value == datetime(2027, 3, 10)
    assert note[6].is_date and note[6].value == datetime(2027, 4, 30)
    assert note[6].number_format == "dd-mm-yyyy"
    assert note[7].value == danish("Open")
    done_sheet = openpyxl.load_workbook(io.BytesIO(done.content)).active
    assert [row[4] for row in done_sheet.iter_rows(min_row=2, values_only=True)] == [HEARING]


# --- Moving an action on -----------------------------------------------------------------------------


def _set_status(client, user, what: str, status: str, **kwargs):
    with travel(TODAY):
        client.force_login(user)
        return client.post(
            f"/beslutninger/handlinger/{action(what).pk}/status/", {"status": status}, **kwargs
        )


def test_the_responsible_administrations_member_updates_an_actions_status(
    register, bif_member, client
):
    _actions, _decisions, html = listed(client, bif_member)
    assert f'action="/beslutninger/handlinger/{action(NOTE).pk}/status/"' in html
    assert f'action="/beslutninger/handlinger/{action(PLAN).pk}/status/"' not in html  # TMF's

    response = _set_status(client, bif_member, NOTE, "in_progress")
    assert response.status_code == 302
    note = action(NOTE)
    assert note.status == FollowUpAction.Status.IN_PROGRESS and note.updated_by == bif_member
    entry = AuditEntry.objects.filter(action="action.status").latest("id")
    assert (entry.actor, entry.object_id, entry.data) == (
        bif_member,
        str(note.pk),
        {"status": "in_progress"},
    )


def bif_person(email: str, slug: str, **membership) -> object:
    """A user whose Person belongs to BIF, holding BIF's seat in the forum `slug`."""
    user = UserFactory(email=email)
    person = PersonFactory(
        name=user.full_name,
        email=user.email,
        user=user,
        organisation=org("BIF"),
        level=Person.Level.HEAD_OF_OFFICE,  # Styregruppen's seat asks for kontorchef or higher
    )
    MembershipFactory(
        person=person,
        forum=forum(slug),
        seat=seat(slug, organisation__short_name="BIF"),
        **membership,
    )
    return user


def assert_unchanged(before: int) -> None:
    assert action(NOTE).status == FollowUpAction.Status.OPEN
    assert action(PLAN).status == FollowUpAction.Status.IN_PROGRESS
    assert action(ADJUST).status == FollowUpAction.Status.OPEN
    assert AuditEntry.objects.filter(action="action.status").count() == before


def test_a_member_of_the_forum_from_another_organisation_gets_404_for_an_actions_status(
    register, member_user, bif_member, client
):
    before = AuditEntry.objects.filter(action="action.status").count()
    assert _set_status(client, member_user, NOTE, "done").status_code == 404  # BIF's
    assert _set_status(client, bif_member, PLAN, "done").status_code == 404  # TMF's
    _actions, _decisions, html = listed(client, member_user)
    assert f"/beslutninger/handlinger/{action(NOTE).pk}/status/" not in html
    assert_unchanged(before)


def test_the_responsible_administration_outside_the_forum_gets_404_for_an_actions_status(
    register, other_member_user, client
):
    """BIF's own people, but not sitting in Samarbejdsforum now: a former member of
    Styregruppe, and BIF's mayor (Borgmesterforum, so Partnerskabsforum only)."""
    before = AuditEntry.objects.filter(action="action.status").count()
    former = bif_person(
        "tidligere@example.org",
        "tvaerkommunal-styregruppe",
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 1, 31),
    )
    mayor = bif_person("borgmester@example.org", "borgmesterforum")
    for user in (former, mayor, other_member_user):
        assert _set_status(client, user, NOTE, "done").status_code == 404
    assert_unchanged(before)


def test_the_responsible_member_gets_404_for_an_action_of_draft_minutes(
    register, secretariat_user, bif_member, client
):
    minutes_with_actions(
        "samarbejdsforum",
        date(2027, 6, 9),
        secretariat_user,
        "Et beslutningsudkast.",
        [("Udkast til handling", "BIF", date(2027, 8, 1), FollowUpAction.Status.OPEN)],
        send=False,
    )
    before = AuditEntry.objects.filter(action="action.status").count()
    assert _set_status(client, bif_member, "Udkast til handling", "done").status_code == 404
    assert action("Udkast til handling").status == FollowUpAction.Status.OPEN
    assert AuditEntry.objects.filter(action="action.status").count() == before


def test_the_secretariat_updates_any_actions_status(register, secretariat_user, client):
    assert _set_status(client, secretariat_user, ADJUST, "done").status_code == 302
    assert action(ADJUST).status == FollowUpAction.Status.DONE
    entry = AuditEntry.objects.filter(action="action.status").latest("id")
    assert entry.actor == secretariat_user and entry.data == {"status": "done"}


# --- Back on the next agenda -------------------------------------------------------------------------


def _schedule_next(secretariat_user, day: date) -> Meeting:
    with travel(TODAY):
        return meeting_services.meeting_schedule(
            actor=secretariat_user,
            forum=forum("samarbejdsforum"),
            starts_at=at(day, 14),
            ends_at=at(day, 16),
        )


def test_open_actions_are_on_the_next_agenda_before_eventuelt_until_all_are_done(
    register, secretariat_user
):
    meeting = _schedule_next(secretariat_user, date(2027, 9, 15))
    items = list(meeting.items.order_by("position"))
    assert [(i.position, i.title) for i in items] == [
        (1, "Opfølgning på beslutninger"),
        (2, "Eventuelt"),
    ]
    follow_up = items[0].presentation
    assert NOTE in follow_up and "frist 30.04.2027" in follow_up
    assert PLAN in follow_up
    assert HEARING not in follow_up  # done
    assert ADJUST not in follow_up  # another forum's
    assert AuditEntry.objects.filter(action="meeting.schedule", object_id=str(meeting.pk)).exists()

    for what in (NOTE, PLAN):
        services.action_set_status(actor=secretariat_user, action=action(what), status="done")
    later = _schedule_next(secretariat_user, date(2027, 11, 17))
    assert list(later.items.values_list("title", flat=True)) == ["Eventuelt"]


def test_the_register_page_query_count_does_not_grow_with_the_actions(
    forums, django_assert_max_num_queries, settings, tmp_path
):
    """The status forms of a member's own administration are decided with one query,
    however many actions the register lists."""
    from django.test import Client

    from forums.models import Organisation
    from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, seat
    from meetings.tests.factories import schedule
    from minutes.models import FollowUpAction, Minutes, MinutesItem

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    tmf = Organisation.objects.get(short_name="TMF")
    user = UserFactory()
    MembershipFactory(
        person=PersonFactory(user=user, organisation=tmf),
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum"),
    )
    meeting = schedule(forums["samarbejdsforum"])
    minutes = Minutes.objects.create(
        meeting=meeting,
        status="sent",
        sent_at=meeting.starts_at,
        comments_close_at=meeting.starts_at,
    )
    item = MinutesItem.objects.create(
        minutes=minutes, position=1, title="Punkt", decision="Besluttet."
    )
    client = Client()
    client.force_login(user)

    def count_for(n: int) -> int:
        FollowUpAction.objects.bulk_create(
            FollowUpAction(item=item, what=f"Handling {i}", responsible=tmf) for i in range(n)
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            html = client.get("/beslutninger/").content.decode()
        assert html.count("/beslutninger/handlinger/") == FollowUpAction.objects.count()
        return len(queries)

    assert count_for(2) == count_for(20)
