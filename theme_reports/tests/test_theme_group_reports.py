"""Theme groups report back (issue 14 §6): the forum sets a report date or a cadence; the
secretariat submits a report (text and documents) on the group's behalf; it becomes a
proposal to the parent forum's next meeting that takes proposals, or waits for one; the
trail (report → proposal → agenda item → decision) is on the group's page; report dates due
and overdue are in the registry of what is due (core.due, "theme_group_reports")."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.due import due_items
from core.errors import DomainError
from core.models import AuditEntry
from forums.models import add_months
from forums.tests.factories import ThemeGroupFactory
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.models import Attachment, Meeting, Proposal
from meetings.tests.factories import at
from members.tests.test_member_page import meeting, sent_minutes
from minutes.models import MinutesItem
from theme_reports import services
from theme_reports.models import ThemeGroupReport

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def travel(moment: datetime = NOW):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def group(forums):
    """A Samarbejdsforum theme group reporting every 3 months from 15 December 2026."""
    return ThemeGroupFactory(
        name="Temagruppen om udlejning",
        first_report_on=date(2026, 12, 15),
        report_every_months=3,
    )


def submit(group, actor, **fields):
    fields = {"title": "Status på fleksibel udlejning", "text": "Gruppen har mødtes tre gange."} | (
        fields
    )
    with travel():
        return services.theme_group_report_submit(actor=actor, theme_group=group, **fields)


# --- The report dates ------------------------------------------------------------------------


def test_report_dates_follow_the_cadence_and_a_31st_becomes_the_months_last_day(forums):
    group = ThemeGroupFactory(first_report_on=date(2027, 1, 31), report_every_months=1)
    assert group.report_due_dates(until=date(2027, 4, 30)) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_report_dates_stop_when_the_group_ends_and_a_single_date_is_one_report(forums):
    ended = ThemeGroupFactory(
        first_report_on=date(2027, 1, 1), report_every_months=2, ends_on=date(2027, 5, 31)
    )
    assert ended.report_due_dates(until=date(2028, 1, 1)) == [
        date(2027, 1, 1),
        date(2027, 3, 1),
        date(2027, 5, 1),
    ]
    once = ThemeGroupFactory(first_report_on=date(2027, 6, 1))
    assert once.report_due_dates(until=date(2027, 5, 31)) == []
    assert once.report_due_dates(until=date(2030, 1, 1)) == [date(2027, 6, 1)]
    assert ThemeGroupFactory().report_due_dates(until=date(2030, 1, 1)) == []


# --- A report becomes a proposal ---------------------------------------------------------------


def test_a_report_becomes_an_orientation_proposal_for_the_next_meeting_taking_proposals(
    group, secretariat_user, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    meeting("samarbejdsforum", date(2027, 2, 17), "Lukket")  # proposals closed on 27 January
    march = meeting("samarbejdsforum", date(2027, 3, 10), "Marts")
    meeting("samarbejdsforum", date(2027, 6, 9), "Juni")
    meeting("tvaerkommunal-styregruppe", date(2027, 2, 24), "En anden forums møde")

    report = submit(
        group,
        secretariat_user,
        due_on=date(2026, 12, 15),
        files=[SimpleUploadedFile("notat.pdf", PDF, content_type="application/pdf")],
    )

    report.refresh_from_db()
    proposal = report.proposal
    assert proposal.meeting == march
    assert proposal.title == danish("Report from the theme group %(group)s: %(title)s") % {
        "group": "Temagruppen om udlejning",
        "title": "Status på fleksibel udlejning",
    }
    assert (proposal.description, proposal.treatment, proposal.proposer) == (
        "Gruppen har mødtes tre gange.",
        "orientation",
        secretariat_user,
    )
    assert report.proposed_at == NOW and not report.waiting
    [document] = report.documents.all()
    [attachment] = Attachment.objects.filter(proposal=proposal)
    assert (attachment.name, attachment.file.name) == ("notat.pdf", document.file.name)
    assert document.content_type == "application/pdf"
    assert list(
        AuditEntry.objects.filter(action__startswith="theme_group_report.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["theme_group_report.submit", "theme_group_report.propose"]


def test_without_a_meeting_taking_proposals_the_report_waits_and_the_sweep_proposes_it_once(
    group, secretariat_user
):
    meeting("samarbejdsforum", date(2027, 2, 17), "Lukket")
    report = submit(group, secretariat_user)
    assert report.waiting and Proposal.objects.count() == 0
    with travel():
        assert services.theme_group_reports_propose_waiting(now=NOW) == {"proposed": 0}

    with travel(NOW + timedelta(days=1)):
        called = meeting_services.meeting_schedule(
            actor=secretariat_user,
            forum=group.forum,
            starts_at=at(date(2027, 4, 14)),
            ends_at=at(date(2027, 4, 14), 16),
        )
        later = NOW + timedelta(days=1, minutes=5)
        assert services.theme_group_reports_propose_waiting(now=later) == {"proposed": 1}
        assert services.theme_group_reports_propose_waiting(now=later) == {"proposed": 0}
    report.refresh_from_db()
    assert report.proposal.meeting == called
    assert Proposal.objects.count() == 1
    assert AuditEntry.objects.filter(action="theme_group_report.propose").count() == 1


def test_the_sweep_runs_the_waiting_reports_step(group, secretariat_user):
    from core.sweep import SWEEP_STEPS

    assert "theme_reports.services.theme_group_reports_propose_waiting" in SWEEP_STEPS


def test_a_report_date_is_answered_once(group, secretariat_user):
    meeting("samarbejdsforum", date(2027, 3, 10))
    submit(group, secretariat_user, due_on=date(2026, 12, 15))
    with pytest.raises(DomainError):
        submit(group, secretariat_user, due_on=date(2026, 12, 15), title="Igen")
    with pytest.raises(DomainError):
        submit(group, secretariat_user, due_on=date(2026, 12, 16), title="Ikke en rapportdato")
    assert list(ThemeGroupReport.objects.values_list("title", flat=True)) == [
        "Status på fleksibel udlejning"
    ]
    assert Proposal.objects.count() == 1


def test_an_ended_group_reports_no_more(forums, secretariat_user):
    ended = ThemeGroupFactory(ends_on=date(2027, 1, 31))
    with pytest.raises(DomainError):
        submit(ended, secretariat_user)
    assert ThemeGroupReport.objects.count() == 0


# --- The form --------------------------------------------------------------------------------


def test_the_form_refuses_a_document_that_is_not_what_it_says_and_keeps_the_text(
    group, secretariat_user, client, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    url = f"/sekretariat/temagrupper/{group.pk}/rapporter/ny/"
    with travel():
        client.force_login(secretariat_user)
        page = client.get(f"{url}?frist=2026-12-15").content.decode()
        assert 'value="2026-12-15" selected' in page
        response = client.post(
            url,
            {
                "due_on": "2026-12-15",
                "title": "Rapport med falsk bilag",
                "text": "Teksten, der ikke må gå tabt.",
                "files": [SimpleUploadedFile("notat.pdf", b"MZ\x90\x00 not a pdf")],
            },
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Teksten, der ikke må gå tabt.</textarea>" in page
    assert 'value="Rapport med falsk bilag"' in page
    assert ThemeGroupReport.objects.count() == 0 and Proposal.objects.count() == 0


def test_the_form_says_at_the_field_when_the_date_is_already_answered(
    group, secretariat_user, client
):
    meeting("samarbejdsforum", date(2027, 3, 10))
    url = f"/sekretariat/temagrupper/{group.pk}/rapporter/ny/"
    data = {"due_on": "2026-12-15", "title": "Første", "text": "Tekst."}
    with travel():
        client.force_login(secretariat_user)
        assert client.post(url, data).status_code == 302
        response = client.post(url, data | {"title": "Anden"})
    page = response.content.decode()
    assert response.status_code == 200
    # The date is no longer offered, so the choice itself is refused at the field.
    assert 'name="due_on" class="select form-select is-invalid"' in page
    assert 'value="Anden"' in page
    assert list(ThemeGroupReport.objects.values_list("title", flat=True)) == ["Første"]


def test_submitting_through_the_page_says_where_the_report_went(group, secretariat_user, client):
    march = meeting("samarbejdsforum", date(2027, 3, 10))
    url = f"/sekretariat/temagrupper/{group.pk}/rapporter/ny/"
    with travel():
        client.force_login(secretariat_user)
        response = client.post(
            url, {"due_on": "", "title": "Ekstra rapport", "text": "Tekst."}, follow=True
        )
    page = response.content.decode()
    report = ThemeGroupReport.objects.get()
    assert report.due_on is None and report.proposal.meeting == march
    expected = danish(
        "The report is saved and proposed for the meeting of %(forum)s on %(day)s."
    ) % {"forum": group.forum.name, "day": "10. marts 2027"}
    assert escape(expected) in page


# --- The trail on the group's page ------------------------------------------------------------


def test_the_groups_page_shows_the_trail_from_report_to_decision(group, secretariat_user, client):
    meeting("samarbejdsforum", date(2027, 2, 17), "Lukket")
    waiting = submit(group, secretariat_user, title="Ventende rapport")
    march = meeting("samarbejdsforum", date(2027, 3, 10))
    proposed = submit(group, secretariat_user, title="Behandlet rapport", due_on=date(2026, 12, 15))
    with travel():
        item = meeting_services.proposal_accept(actor=secretariat_user, proposal=proposed.proposal)
    march.status = Meeting.Status.HELD
    march.save(update_fields=["status"])
    minutes = sent_minutes(march, closes=datetime(2027, 3, 31, 23, 59, tzinfo=TZ))
    MinutesItem.objects.create(
        minutes=minutes,
        agenda_item=item,
        position=item.position,
        title=item.title,
        decision="Forummet tog rapporten til efterretning.",
    )
    with travel():
        client.force_login(secretariat_user)
        page = client.get(f"/sekretariat/temagrupper/{group.pk}/").content.decode()

    assert "Ventende rapport" in page and danish("Awaits the next meeting") in page
    trail = page.split("Behandlet rapport</strong>")[1]
    assert f"/sekretariat/moeder/{march.pk}/" in trail
    assert danish("Accepted") in trail
    assert item.title in trail
    assert "Forummet tog rapporten til efterretning." in trail
    assert waiting.waiting


# --- The registry of what is due -------------------------------------------------------------


def test_report_dates_due_and_overdue_are_in_the_registry_until_a_report_answers_them(
    group, secretariat_user
):
    meeting("samarbejdsforum", date(2027, 3, 10))
    with travel():
        items = [
            i
            for i in due_items(now=NOW, until=NOW + timedelta(days=60))
            if i.kind == "theme_group_report"
        ]
    assert [(i.due.date(), i.overdue(NOW)) for i in items] == [
        (date(2026, 12, 15), True),
        (date(2027, 3, 15), False),
    ]
    first = items[0]
    assert first.url == f"/sekretariat/temagrupper/{group.pk}/rapporter/ny/?frist=2026-12-15"
    assert (first.detail, first.forum_id, first.act_on) == (
        "Temagruppen om udlejning",
        group.forum_id,
        date(2026, 12, 15),
    )

    submit(group, secretariat_user, due_on=date(2026, 12, 15))
    with travel():
        items = [
            i
            for i in due_items(now=NOW, until=NOW + timedelta(days=60))
            if i.kind == "theme_group_report"
        ]
    assert [i.due.date() for i in items] == [date(2027, 3, 15)]


def test_a_report_date_on_a_weekend_is_acted_on_the_working_day_before(forums):
    ThemeGroupFactory(first_report_on=date(2027, 5, 15))  # a Saturday
    with travel():
        [item] = [
            i
            for i in due_items(now=NOW, until=datetime(2027, 6, 1, tzinfo=TZ))
            if i.kind == "theme_group_report"
        ]
    assert (item.due.date(), item.act_on) == (date(2027, 5, 15), date(2027, 5, 14))


def test_a_proposed_report_is_never_proposed_again(group, secretariat_user):
    meeting("samarbejdsforum", date(2027, 3, 10))
    report = submit(group, secretariat_user)
    first = report.proposal
    with travel():
        assert services.theme_group_report_propose(report=report, now=NOW) is None
    report.refresh_from_db()
    assert report.proposal == first and Proposal.objects.count() == 1


def test_the_service_checks_each_document_by_its_content_and_stores_nothing_on_refusal(
    group, secretariat_user, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    meeting("samarbejdsforum", date(2027, 3, 10))
    fake = SimpleUploadedFile("notat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        submit(group, secretariat_user, files=[fake])
    assert ThemeGroupReport.objects.count() == 0 and Proposal.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="theme_group_report.").exists()


def test_report_dates_lie_within_the_groups_life(forums, secretariat_user, group):
    from forums.services import theme_group_save

    with pytest.raises(ValidationError) as before:
        theme_group_save(
            actor=secretariat_user,
            theme_group=group,
            first_report_on=group.set_up_on - timedelta(days=1),
        )
    assert "first_report_on" in before.value.message_dict
    group.refresh_from_db()
    with pytest.raises(ValidationError) as after:
        theme_group_save(
            actor=secretariat_user,
            theme_group=group,
            ends_on=date(2027, 1, 1),
            first_report_on=date(2027, 9, 1),
        )
    assert "first_report_on" in after.value.message_dict
