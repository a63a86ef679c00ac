"""Findings of the QA pass of issue 13 in the secretariat's meeting pages: a meeting called
after its deadlines is warned of and its timeline never says »udført« for a deadline that
merely went by; a version is listed by the time it went out, not the click; the e-mails'
reach reads »De når …«; the agenda PDF has no empty »Bilagsliste«."""

import html
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from meetings import pdf, services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, AgendaVersion, Organisation
from meetings.selectors import meeting_timeline
from meetings.tasks import process_agenda_version
from meetings.tests.factories import schedule
from minutes import services as minutes_services

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
# Samarbejdsforum on Friday 12 February 2027, called on 1 February: proposals closed at the
# end of 22 January, the agenda was due at the end of 29 January.
LATE_DAY = date(2027, 2, 12)
DAY = date(2027, 3, 16)  # all deadlines ahead on 1 February
AGENDA_PASSED = (
    "Fristen for dagsordenen (udgangen af fredag 29. januar 2027) er allerede overskredet"
)


@pytest.fixture(autouse=True)
def february_2027(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def states(meeting, now: datetime) -> dict[str, str]:
    return {entry.key: entry.state for entry in meeting_timeline(meeting, now=now)}


def call_post(forums, day: date, **extra) -> dict:
    return {
        "forum": forums["samarbejdsforum"].pk,
        "day": day.isoformat(),
        "starts": "14:00",
        "ends": "16:00",
        "place": "Njalsgade 13",
        **extra,
    }


# --- A meeting called after its deadlines --------------------------------------------------


def test_calling_after_the_agenda_deadline_warns_on_the_confirmation_page(forums, secretariat_user):
    client = login(secretariat_user)
    late = text(client.post("/sekretariat/moeder/ny/", call_post(forums, LATE_DAY)))
    assert AGENDA_PASSED in late
    in_time = client.post("/sekretariat/moeder/ny/", call_post(forums, DAY))
    assert in_time.status_code == 200 and in_time.context["c"].warnings == []
    assert "allerede overskredet" not in text(in_time)


def test_a_deadline_that_passed_before_the_call_is_not_done_on_the_timeline(
    forums, secretariat_user
):
    meeting = schedule(forums["samarbejdsforum"], day=LATE_DAY, now=NOW)
    assert states(meeting, NOW) == {
        "proposals": "passed",
        "agenda": "overdue",
        "meeting": "due",
        "minutes": "due",
    }
    workspace = text(login(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/"))
    timeline = workspace.split('class="timeline')[1].split("</ol>")[0]
    assert "udført" not in timeline
    assert re.search(r'data-state="passed">\s*Frist for forslag:', timeline)
    assert "overstået" in timeline and "overskredet" in timeline


def test_a_comment_window_that_closed_without_approval_is_passed_not_done(
    forums, secretariat_user, february_2027
):
    meeting = schedule(forums["samarbejdsforum"], day=LATE_DAY, now=NOW)
    sent = datetime(2027, 2, 15, 10, 0, tzinfo=TZ)
    february_2027.move_to(sent)
    minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting, now=sent)
    minutes_services.minutes_send(actor=secretariat_user, minutes=minutes, now=sent)
    meeting.refresh_from_db()
    closes = meeting.minutes.comments_close_at
    after = closes + timedelta(hours=1)
    timeline = states(meeting, after)
    assert (timeline["comments"], timeline["approval"]) == ("passed", "overdue")


# --- A version is listed by the time it went out ------------------------------------------


def test_a_sent_version_is_listed_by_the_time_it_went_out_not_the_click(
    forums, secretariat_user, settings, february_2027, django_capture_on_commit_callbacks
):
    settings.SEND_GRACE_MINUTES = 5
    meeting = schedule(forums["samarbejdsforum"], day=DAY, now=NOW)
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)
    february_2027.move_to(NOW + timedelta(minutes=5))
    process_agenda_version(version.pk)

    workspace = text(login(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/"))
    listed = workspace.split("Udsendte versioner")[1].split("</ul>")[0]
    assert "Version 1 (1. feb 2027 10:05)" in listed
    assert "10:00" not in listed


# --- Wording ------------------------------------------------------------------------------


def test_the_reach_of_the_waiting_e_mails_has_a_plural_subject(
    forums, member_user, secretariat_user, settings, django_capture_on_commit_callbacks
):
    settings.SEND_GRACE_MINUTES = 5
    with django_capture_on_commit_callbacks(execute=True):
        called = login(secretariat_user).post(
            "/sekretariat/moeder/ny/", call_post(forums, DAY, confirm="1"), follow=True
        )
    flash = [str(m) for m in called.context["messages"]]
    assert (
        "E-mailene: Udsendes kl. 10:05 — kan fortrydes indtil da. De når 1 af 1 medlemmer."
        in (flash[0])
    )
    assert "Den når" not in flash[0]


def render_agenda_html(monkeypatch, meeting, items: list[dict]) -> str:
    rendered: list[str] = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda page: rendered.append(page) or b"%PDF-1.4")
    version = AgendaVersion(meeting=meeting, number=1, snapshot={"items": items})
    pdf.render_agenda_pdf(version, public=False)
    return html.unescape(rendered[0])


def test_the_agenda_pdf_leaves_out_the_attachment_list_when_there_are_no_attachments(
    forums, monkeypatch
):
    meeting = schedule(forums["samarbejdsforum"], day=DAY, now=NOW)
    item = {"position": 1, "title": "Fleksibel udlejning", "attachments": []}
    without = render_agenda_html(monkeypatch, meeting, [item])
    assert "Bilagsliste" not in without and 'class="attachments"' not in without

    item["attachments"] = [{"name": "notat.pdf"}]
    with_one = render_agenda_html(monkeypatch, meeting, [item])
    assert "Bilagsliste" in with_one and "Punkt 1: notat.pdf" in with_one
