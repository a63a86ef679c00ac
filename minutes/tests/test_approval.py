"""Final approval: when the comment window has closed the sweep approves the minutes
exactly once, dated at the end of the window whenever it runs; the final version records
the comments still without a disposition and gets a PDF without the draft mark.
Partnerskabsforum's approved minutes are public (without closed items); nobody else's
are, and a draft never is. Approved minutes cannot change — not through the ORM, the
admin or (on PostgreSQL) SQL; a correction is a dated erratum."""

import re
import threading
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry
from core.sweep import sweep_run
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings.deadlines import TZ
from meetings.models import AgendaItem
from meetings.pdf import html_to_pdf
from meetings.tests.factories import at, schedule
from minutes import pdf as minutes_pdf
from minutes import services
from minutes.models import (
    ApprovedMinutesError,
    Comment,
    Erratum,
    Minutes,
    MinutesVersion,
)
from notifications.models import OutboxMessage
from tests.pdf_clients import text_by_pypdf

APPROVE = "minutes.services.approve_due"

# Samarbejdsforum: met Wednesday 10 March 2027, minutes sent Monday 15 March; the window
# closes at the end of Monday 29 March.
SF_DAY = date(2027, 3, 10)
SF_SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)
SF_CLOSES = datetime.combine(date(2027, 3, 29), time.max, tzinfo=TZ)
# Partnerskabsforum (approved minutes public): met Wednesday 12 May 2027, minutes sent
# Friday 14 May; the window closes at the end of Friday 28 May.
PF_DAY = date(2027, 5, 12)
PF_SENT = datetime(2027, 5, 14, 10, 0, tzinfo=TZ)
PF_CLOSES = datetime.combine(date(2027, 5, 28), time.max, tzinfo=TZ)

OPEN_TITLE = "Boligsocial helhedsplan for Tingbjerg"
OPEN_SUMMARY = "Helhedsplanen blev drøftet."
CLOSED_TITLE = "Fortrolig lejesag Vestergade"
CLOSED_SUMMARY = "Personoplysninger om lejeren"


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def approval_line(day: str, number: int) -> str:
    return danish("Finally approved %(day)s (version %(number)s)") % {"day": day, "number": number}


def squash(text: str) -> str:
    return " ".join(text.split())


# --- Reading what a stored PDF says ------------------------------------------------------------
# The stored PDF itself is read with pypdf (tests/pdf_clients.py). Every HTML handed to
# WeasyPrint is kept, keyed by the bytes it produced, so a stored file is known to be one
# this test rendered.


@pytest.fixture
def pdf_sources(monkeypatch) -> dict[bytes, str]:
    sources: dict[bytes, str] = {}

    def render(html: str) -> bytes:
        pdf = html_to_pdf(html)
        sources[pdf] = html
        return pdf

    monkeypatch.setattr(minutes_pdf, "html_to_pdf", render)
    return sources


def pdf_text(data: bytes, sources: dict[bytes, str]) -> str:
    """What the PDF itself says, read by pypdf (not the HTML it came from, and not
    depending on which tools this machine has); `data` must be a PDF this test rendered."""
    assert data.startswith(b"%PDF-") and data in sources
    return " ".join(text_by_pypdf(data).split())


def stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


# --- Setting the scene ---------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


def send(forum, actor, *, day: date, sent: datetime, closed_item: bool = False) -> Minutes:
    """Schedule a meeting of `forum` (with 5 months' notice), write its minutes and send
    them at `sent`. Run inside django_capture_on_commit_callbacks(execute=True)."""
    with travel(at(day - timedelta(days=150), 9)):
        meeting = schedule(forum, day=day)
        position = meeting.items.count()
        AgendaItem.objects.create(meeting=meeting, position=position + 1, title=OPEN_TITLE)
        if closed_item:
            AgendaItem.objects.create(
                meeting=meeting, position=position + 2, title=CLOSED_TITLE, is_closed=True
            )
    with travel(sent):
        minutes = services.minutes_start(actor=actor, meeting=meeting)
        summaries = {OPEN_TITLE: OPEN_SUMMARY, CLOSED_TITLE: CLOSED_SUMMARY}
        services.minutes_save(
            actor=actor,
            minutes=minutes,
            lock_version=0,
            introduction="Velkommen.",
            items={
                item.pk: {"summary": summaries.get(item.title, "Drøftet."), "decision": "Godkendt."}
                for item in minutes.items.all()
            },
        )
        services.minutes_send(actor=actor, minutes=minutes)
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def sf_minutes(
    forums, member_user, secretariat_user, media, django_capture_on_commit_callbacks
) -> Minutes:
    with django_capture_on_commit_callbacks(execute=True):
        return send(forums["samarbejdsforum"], secretariat_user, day=SF_DAY, sent=SF_SENT)


@pytest.fixture
def pf_minutes(
    forums, other_member_user, secretariat_user, media, django_capture_on_commit_callbacks
) -> Minutes:
    with django_capture_on_commit_callbacks(execute=True):
        return send(
            forums["partnerskabsforum"],
            secretariat_user,
            day=PF_DAY,
            sent=PF_SENT,
            closed_item=True,
        )


def approve(minutes: Minutes, capture, moment: datetime) -> Minutes:
    with travel(moment), capture(execute=True):
        assert sweep_run(now=moment)[APPROVE] == {"approved": 1}
    minutes.refresh_from_db()
    return minutes


# --- Approval by the sweep -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_on_s_plus_15_approves_the_minutes_once(
    sf_minutes, member_user, django_capture_on_commit_callbacks
):
    last_minute = SF_CLOSES - timedelta(minutes=1)
    with travel(last_minute), django_capture_on_commit_callbacks(execute=True):
        assert sweep_run(now=last_minute)[APPROVE] == {"approved": 0}
    sf_minutes.refresh_from_db()
    assert sf_minutes.status == Minutes.Status.SENT

    moment = datetime(2027, 3, 30, 0, 5, tzinfo=TZ)
    with travel(moment), django_capture_on_commit_callbacks(execute=True):
        reports = [sweep_run(now=moment) for _ in range(2)]
    assert [r[APPROVE] for r in reports] == [{"approved": 1}, {"approved": 0}]
    sf_minutes.refresh_from_db()
    assert sf_minutes.status == Minutes.Status.APPROVED
    assert sf_minutes.approved_at == SF_CLOSES
    assert sf_minutes.approval_recorded_at == moment
    final = MinutesVersion.objects.get(minutes=sf_minutes, is_final=True)
    assert final.number == 1 and final.pdf.name
    assert MinutesVersion.objects.filter(minutes=sf_minutes).count() == 2
    approved = OutboxMessage.objects.filter(kind="minutes_approved")
    assert list(approved.values_list("recipient", flat=True)) == [member_user.email]
    assert approved.get().status == OutboxMessage.Status.SENT
    entry = AuditEntry.objects.get(action="minutes.approve")
    assert entry.actor is None and entry.object_id == str(sf_minutes.pk)


@pytest.mark.django_db
def test_a_sweep_ten_days_late_dates_the_approval_at_the_end_of_the_window(
    sf_minutes, member_user, django_capture_on_commit_callbacks
):
    late = datetime(2027, 4, 9, 9, 0, tzinfo=TZ)  # the worker was down for ten days
    approve(sf_minutes, django_capture_on_commit_callbacks, late)
    assert sf_minutes.approved_at == SF_CLOSES
    assert sf_minutes.approval_recorded_at == late
    message = OutboxMessage.objects.get(kind="minutes_approved", recipient=member_user.email)
    assert "29. marts 2027" in message.body_text
    assert "9. april" not in message.body_text
    final = MinutesVersion.objects.get(minutes=sf_minutes, is_final=True)
    # The final PDF goes with the e-mail (notifications/tests/test_pdf_attachments.py).
    assert bytes(message.attachments.get().content) == stored(final.pdf)
    pdf_url = f"/moeder/{sf_minutes.meeting_id}/referat/version/{final.number}.pdf?endelig=1"
    reader = Client()
    reader.force_login(member_user)
    response = reader.get(pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="minutes.approve")
    assert datetime.fromisoformat(entry.data["approved_at"]) == SF_CLOSES
    assert datetime.fromisoformat(entry.data["recorded_at"]) == late


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_give_one_approval_one_final_version_and_one_message_per_member(
    forums, member_user, secretariat_user, media
):
    second = PersonFactory(name="Bente Bertelsen", email="anden.sf@example.org")
    MembershipFactory(person=second, forum=forum("samarbejdsforum"), seat=seat("samarbejdsforum"))
    minutes = send(forums["samarbejdsforum"], secretariat_user, day=SF_DAY, sent=SF_SENT)
    moment = datetime(2027, 3, 30, 6, 0, tzinfo=TZ)

    barrier = threading.Barrier(2)
    # SQLite's shared-cache in-memory test database fails at once on a locked table
    # instead of waiting, so there the two sweeps take turns; PostgreSQL runs them at once.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    serialise = threading.Lock() if in_memory else None
    reports: list[dict] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            if serialise:
                with serialise:
                    reports.append(sweep_run(now=moment))
            else:
                reports.append(sweep_run(now=moment))
        except BaseException as exc:  # noqa: BLE001 - reported in the main thread
            failures.append(exc)
        finally:
            connections.close_all()

    with travel(moment):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert all("error" not in result for report in reports for result in report.values())
    assert sorted(report[APPROVE]["approved"] for report in reports) == [0, 1]

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at == SF_CLOSES
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
    assert final.pdf.name
    assert sorted(
        OutboxMessage.objects.filter(kind="minutes_approved").values_list("recipient", flat=True)
    ) == sorted([member_user.email, second.email])
    assert AuditEntry.objects.filter(action="minutes.approve").count() == 1


@pytest.mark.django_db
def test_comments_without_a_disposition_are_recorded_on_the_final_version(
    sf_minutes,
    member_user,
    secretariat_user,
    secretariat_client,
    pdf_sources,
    django_capture_on_commit_callbacks,
):
    item = sf_minutes.items.get(title=OPEN_TITLE)
    with travel(SF_SENT + timedelta(days=2)):
        services.comment_add(
            actor=member_user, minutes=sf_minutes, item=item, body="Tallene mangler."
        )
        answered = services.comment_add(actor=member_user, minutes=sf_minutes, body="Fint.")
        services.comment_dispose(
            actor=secretariat_user, comment=answered, disposition="answered", note="Tak."
        )
    approve(sf_minutes, django_capture_on_commit_callbacks, datetime(2027, 3, 30, 1, tzinfo=TZ))

    final = MinutesVersion.objects.get(minutes=sf_minutes, is_final=True)
    assert final.snapshot["undisposed_comments"] == [
        {"author": member_user.person.name, "item": OPEN_TITLE, "body": "Tallene mangler."}
    ]
    assert "Tallene mangler." in pdf_text(stored(final.pdf), pdf_sources)
    assert "Fint." not in pdf_text(stored(final.pdf), pdf_sources)
    with travel(datetime(2027, 3, 30, 9, tzinfo=TZ)):
        secretariat_client.force_login(secretariat_user)
        page = secretariat_client.get(
            f"/sekretariat/moeder/{sf_minutes.meeting_id}/referat/kommentarer/"
        ).content.decode()
    assert escape(danish("Recorded without a disposition on the approved version.")) in page
    assert 'name="disposition"' not in page  # no disposition after approval
    with pytest.raises(services.DomainError):
        services.comment_dispose(
            actor=secretariat_user,
            comment=Comment.objects.get(body="Tallene mangler."),
            disposition="answered",
            note="For sent.",
        )


@pytest.mark.django_db
def test_the_final_pdf_is_stored_without_the_draft_mark_and_states_the_approval(
    sf_minutes, member_user, client, pdf_sources, django_capture_on_commit_callbacks
):
    # Version 1, rendered before pdf_sources existed, is the draft: render it again.
    draft = pdf_text(
        minutes_pdf.render_minutes_pdf(sf_minutes.versions.get(), public=False), pdf_sources
    )
    assert danish("DRAFT – for comments") in draft

    approve(sf_minutes, django_capture_on_commit_callbacks, datetime(2027, 3, 30, 1, tzinfo=TZ))
    final = MinutesVersion.objects.get(minutes=sf_minutes, is_final=True)
    assert final.pdf.name.endswith("-v1-endelig.pdf")
    assert not final.public_pdf  # Samarbejdsforum's minutes are not public
    text = pdf_text(stored(final.pdf), pdf_sources)
    assert danish("DRAFT – for comments") not in text
    assert approval_line("29. marts 2027", 1) in text
    assert OPEN_SUMMARY in text

    with travel(datetime(2027, 3, 30, 9, tzinfo=TZ)):
        client.force_login(member_user)
        response = client.get(f"/moeder/{sf_minutes.meeting_id}/referat/version/1.pdf?endelig=1")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored(final.pdf)


# --- What is public ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_partnerskabsforums_approved_minutes_are_public_without_closed_items(
    pf_minutes, client, pdf_sources, django_capture_on_commit_callbacks
):
    pk = pf_minutes.meeting_id
    approve(pf_minutes, django_capture_on_commit_callbacks, datetime(2027, 5, 29, 0, 5, tzinfo=TZ))
    final = MinutesVersion.objects.get(minutes=pf_minutes, is_final=True)

    page = client.get(f"/moeder/{pk}/referat/offentligt/")
    assert page.status_code == 200
    html = page.content.decode()
    assert OPEN_TITLE in html and OPEN_SUMMARY in html
    assert CLOSED_TITLE not in html and CLOSED_SUMMARY not in html
    assert f"/moeder/{pk}/referat/offentligt/" in client.get("/sitemap.xml").content.decode()

    pdf = client.get(f"/moeder/{pk}/referat.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body == stored(final.public_pdf)
    text = pdf_text(body, pdf_sources)
    assert OPEN_TITLE in text and approval_line("28. maj 2027", 1) in text
    assert CLOSED_TITLE not in text and CLOSED_SUMMARY not in text
    # The members' PDF keeps the closed item.
    assert CLOSED_SUMMARY in pdf_text(stored(final.pdf), pdf_sources)


@pytest.mark.django_db
def test_a_closed_item_stands_in_the_public_minutes_as_punkt_n_lukket_punkt(
    pf_minutes, client, pdf_sources, django_capture_on_commit_callbacks
):
    pk = pf_minutes.meeting_id
    approve(pf_minutes, django_capture_on_commit_callbacks, datetime(2027, 5, 29, 0, 5, tzinfo=TZ))
    final = MinutesVersion.objects.get(minutes=pf_minutes, is_final=True)
    closed = pf_minutes.items.get(title=CLOSED_TITLE).position
    withheld = danish("Item %(number)s: Closed item") % {"number": closed}
    assert withheld == f"Punkt {closed}: Lukket punkt"

    html = client.get(f"/moeder/{pk}/referat/offentligt/").content.decode()
    assert f'id="referat-{closed}"' in html and withheld in html
    numbers = [int(n) for n in re.findall(r'id="referat-(\d+)"', html)]
    assert numbers == [item["position"] for item in final.items]
    text = pdf_text(stored(final.public_pdf), pdf_sources)
    assert withheld in text
    for page in (html, text):
        assert CLOSED_TITLE not in page and CLOSED_SUMMARY not in page and "Godkendt." in page
    # The members' minutes name the item.
    assert withheld not in pdf_text(stored(final.pdf), pdf_sources)


@pytest.mark.django_db
def test_samarbejdsforums_approved_minutes_are_not_public(
    sf_minutes, client, django_capture_on_commit_callbacks
):
    pk = sf_minutes.meeting_id
    approve(sf_minutes, django_capture_on_commit_callbacks, datetime(2027, 3, 30, 1, tzinfo=TZ))
    assert client.get(f"/moeder/{pk}/referat/offentligt/").status_code == 404
    assert client.get(f"/moeder/{pk}/referat.pdf").status_code == 404
    assert "/referat/offentligt/" not in client.get("/sitemap.xml").content.decode()
    assert not MinutesVersion.objects.get(minutes=sf_minutes, is_final=True).public_pdf


@pytest.mark.django_db
def test_minutes_are_not_public_before_they_are_approved(
    forums, secretariat_user, media, client, django_capture_on_commit_callbacks
):
    with travel(at(PF_DAY - timedelta(days=150), 9)):
        meeting = schedule(forums["partnerskabsforum"], day=PF_DAY)
    with travel(PF_SENT):
        draft = services.minutes_start(actor=secretariat_user, meeting=meeting)
        for url in (
            f"/moeder/{meeting.pk}/referat/offentligt/",
            f"/moeder/{meeting.pk}/referat.pdf",
        ):
            assert client.get(url).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            services.minutes_send(actor=secretariat_user, minutes=draft)
        for url in (
            f"/moeder/{meeting.pk}/referat/offentligt/",
            f"/moeder/{meeting.pk}/referat.pdf",
        ):
            assert client.get(url).status_code == 404
        assert "/referat/offentligt/" not in client.get("/sitemap.xml").content.decode()
    assert Minutes.objects.get().status == Minutes.Status.SENT
    assert not MinutesVersion.objects.filter(is_final=True).exists()


# --- Approved minutes cannot change -----------------------------------------------------------------


@pytest.fixture
def approved(sf_minutes, member_user, django_capture_on_commit_callbacks) -> Minutes:
    with travel(SF_SENT + timedelta(days=1)):
        services.comment_add(actor=member_user, minutes=sf_minutes, body="En bemærkning.")
    return approve(
        sf_minutes, django_capture_on_commit_callbacks, datetime(2027, 3, 30, 1, tzinfo=TZ)
    )


def _unchanged(minutes: Minutes) -> None:
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.introduction == "Velkommen."
    assert list(minutes.items.values_list("summary", flat=True)) == ["Drøftet.", OPEN_SUMMARY]
    assert list(minutes.comments.values_list("body", flat=True)) == ["En bemærkning."]


@pytest.mark.django_db
def test_approved_minutes_items_and_comments_refuse_orm_saves(approved):
    approved.introduction = "Ændret"
    with pytest.raises(ApprovedMinutesError):
        approved.save()
    item = approved.items.last()
    item.summary = "Ændret"
    with pytest.raises(ApprovedMinutesError):
        item.save()
    comment = approved.comments.get()
    comment.body = "Ændret"
    with pytest.raises(ApprovedMinutesError):
        comment.save()
    with pytest.raises(ApprovedMinutesError):
        approved.delete()
    _unchanged(approved)


@pytest.mark.django_db
def test_approved_minutes_refuse_changes_at_the_database_on_postgresql(approved):
    """PostgreSQL: the trigger refuses SQL itself. SQLite has no trigger: there the
    model-level guard is what stands between a change and the approved rows."""
    item = approved.items.last()
    comment = approved.comments.get()
    if connection.vendor == "postgresql":
        statements = [
            ("UPDATE minutes_minutes SET introduction = 'x' WHERE id = %s", approved.pk),
            ("DELETE FROM minutes_minutesitem WHERE id = %s", item.pk),
            ("UPDATE minutes_comment SET body = 'x' WHERE id = %s", comment.pk),
            (
                "UPDATE minutes_minutesversion SET pdf = 'minutes/forfalsket.pdf' "
                "WHERE minutes_id = %s AND is_final",
                approved.pk,
            ),
        ]
        for sql, pk in statements:
            with (
                pytest.raises(DatabaseError, match="are approved and cannot change"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [pk])
    else:
        for obj in (item, comment):
            with pytest.raises(ApprovedMinutesError):
                obj.delete()
        with pytest.raises(ApprovedMinutesError):
            approved.save(update_fields=["introduction"])
    _unchanged(approved)
    final = MinutesVersion.objects.get(minutes=approved, is_final=True)
    assert final.pdf.name.endswith("-endelig.pdf")


@pytest.mark.django_db
def test_the_admin_shows_approved_minutes_read_only(approved, client):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    with travel(datetime(2027, 3, 30, 9, tzinfo=TZ)):
        client.force_login(admin)
        page = client.get(f"/admin/minutes/minutes/{approved.pk}/change/")
        comment_page = client.get(f"/admin/minutes/comment/{approved.comments.get().pk}/change/")
        post = client.post(
            f"/admin/minutes/minutes/{approved.pk}/change/",
            {"status": "draft", "introduction": "Ændret", "_save": "1"},
        )
        delete = client.post(f"/admin/minutes/minutes/{approved.pk}/delete/", {"post": "yes"})
    assert page.status_code == comment_page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert 'name="_save"' not in comment_page.content.decode()
    assert "Velkommen." in page.content.decode()  # shown, read-only
    assert post.status_code == delete.status_code == 403
    _unchanged(approved)


@pytest.mark.django_db
def test_the_admin_can_still_change_a_draft(forums, secretariat_user, media, client):
    with travel(at(SF_DAY - timedelta(days=60), 9)):
        meeting = schedule(forums["samarbejdsforum"], day=SF_DAY)
    with travel(SF_SENT):
        draft = services.minutes_start(actor=secretariat_user, meeting=meeting)
        client.force_login(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))
        page = client.get(f"/admin/minutes/minutes/{draft.pk}/change/")
    assert 'name="_save"' in page.content.decode()


# --- Errata ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_erratum_is_a_dated_correction_on_the_members_page_the_public_page_and_a_new_pdf(
    pf_minutes,
    other_member_user,
    secretariat_user,
    client,
    pdf_sources,
    django_capture_on_commit_callbacks,
):
    pk = pf_minutes.meeting_id
    approve(pf_minutes, django_capture_on_commit_callbacks, datetime(2027, 5, 29, 0, 5, tzinfo=TZ))
    final = MinutesVersion.objects.get(minutes=pf_minutes, is_final=True)
    snapshot = final.snapshot
    correction = "Under punkt 3 skal der stå Tingbjerg, ikke Husum."
    moment = datetime(2027, 6, 10, 11, 0, tzinfo=TZ)
    with travel(moment):
        client.force_login(secretariat_user)
        response = client.post(f"/sekretariat/moeder/{pk}/referat/rettelse/", {"text": correction})
        client.force_login(other_member_user)
        member_page = client.get(f"/moeder/{pk}/referat/").content.decode()
        member_pdf = client.get(f"/moeder/{pk}/referat/version/1.pdf?endelig=1")
        client.logout()
        public_page = client.get(f"/moeder/{pk}/referat/offentligt/").content.decode()
        public_pdf = client.get(f"/moeder/{pk}/referat.pdf")
    assert response.status_code == 302

    erratum = Erratum.objects.get(minutes=pf_minutes)
    assert erratum.text == correction
    assert erratum.created_at == moment and erratum.created_by == secretariat_user
    assert AuditEntry.objects.get(action="minutes.erratum").data == {"erratum": erratum.pk}
    for page in (member_page, public_page):
        assert "10. juni 2027" in page and escape(correction) in page
    assert b"".join(member_pdf.streaming_content) == stored(erratum.pdf)
    assert b"".join(public_pdf.streaming_content) == stored(erratum.public_pdf)
    for field in (erratum.pdf, erratum.public_pdf):
        text = pdf_text(stored(field), pdf_sources)
        assert f"10. juni 2027: {correction}" in text
        assert approval_line("28. maj 2027", 1) in text
    assert CLOSED_SUMMARY not in pdf_text(stored(erratum.public_pdf), pdf_sources)
    # The approved minutes themselves did not change.
    pf_minutes.refresh_from_db()
    final.refresh_from_db()
    assert pf_minutes.status == Minutes.Status.APPROVED and final.snapshot == snapshot


@pytest.mark.django_db
def test_an_erratum_on_a_draft_or_on_minutes_still_open_for_comments_is_refused(
    forums, secretariat_user, media, client, django_capture_on_commit_callbacks
):
    with travel(at(SF_DAY - timedelta(days=60), 9)):
        meeting = schedule(forums["samarbejdsforum"], day=SF_DAY)
    refusal = escape(
        danish("A correction is for finally approved minutes; edit the draft instead.")
    )

    def refused(minutes: Minutes) -> None:
        with pytest.raises(services.DomainError):
            services.erratum_add(actor=secretariat_user, minutes=minutes, text="Rettelse.")
        client.force_login(secretariat_user)
        response = client.post(
            f"/sekretariat/moeder/{meeting.pk}/referat/rettelse/",
            {"text": "Rettelse."},
            follow=True,
        )
        assert refusal in response.content.decode()
        # The editor again, not a redirect: the typed correction is kept in its form.
        assert response.status_code == 400 and response.redirect_chain == []
        assert "Rettelse.</textarea>" in response.content.decode()

    with travel(SF_SENT):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        refused(minutes)  # a draft
        with django_capture_on_commit_callbacks(execute=True):
            services.minutes_send(actor=secretariat_user, minutes=minutes)
        minutes.refresh_from_db()
        refused(minutes)  # sent, the window open
    assert minutes.status == Minutes.Status.SENT
    assert not Erratum.objects.exists()
    assert not AuditEntry.objects.filter(action="minutes.erratum").exists()
