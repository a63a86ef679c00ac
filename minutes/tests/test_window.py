"""The comment window: it opens when the minutes are sent on day S and closes at the end
of local day S + 14, whatever the daylight-saving offset. While it is open members comment,
change or withdraw their own comments, or say they have no remarks; the secretariat sees
each member's state, may issue a revised draft (without moving the window), and is warned
about comments still without a disposition three days before it closes."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry
from core.sweep import sweep_run
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings.deadlines import TZ
from meetings.tests.factories import at, schedule
from minutes import selectors, services
from minutes.models import Comment, Minutes, MinutesVersion, Receipt
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)
SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)  # S = Monday 15 March 2027
LAST_DAY = date(2027, 3, 29)  # S + 14, a Monday
SUMMARY = "Forummet drøftede kort sagen."


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=TZ)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def closed_notice(day_label: str) -> str:
    return danish("The comment window closed at the end of %(day)s.") % {"day": day_label}


def add_member(email: str, name: str, slug: str = "samarbejdsforum"):
    user = UserFactory(email=email, full_name=name)
    person = PersonFactory(name=name, email=email, user=user)
    MembershipFactory(person=person, forum=forum(slug), seat=seat(slug))
    return user


def members_url(minutes: Minutes) -> str:
    return f"/moeder/{minutes.meeting_id}/referat/"


def outbox(kind: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("recipient", flat=True))


def audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


@pytest.fixture
def send_minutes(forums, secretariat_user, settings, tmp_path, django_capture_on_commit_callbacks):
    """Schedule a Samarbejdsforum meeting, write its minutes and send them at `sent`;
    the PDF is rendered and the members e-mailed (on commit)."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)

    def send(meeting_day: date = MEETING_DAY, sent: datetime = SENT) -> Minutes:
        with travel(at(meeting_day - timedelta(days=60), 9)):
            meeting = schedule(forums["samarbejdsforum"], day=meeting_day)
        with travel(sent), django_capture_on_commit_callbacks(execute=True):
            minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
            item = minutes.items.get()
            services.minutes_save(
                actor=secretariat_user,
                minutes=minutes,
                lock_version=0,
                introduction="",
                items={item.pk: {"summary": SUMMARY, "decision": "Taget til efterretning."}},
            )
            services.minutes_send(actor=secretariat_user, minutes=minutes)
        minutes.refresh_from_db()
        return minutes

    return send


@pytest.fixture
def sent_minutes(send_minutes) -> Minutes:
    return send_minutes()


@pytest.fixture
def second_member(forums):
    return add_member("anden.sf@example.org", "Bente Bertelsen")


# --- The last minute of the window ---------------------------------------------------------


def test_a_comment_at_2359_on_s_plus_14_is_accepted_and_at_0000_on_s_plus_15_refused(
    sent_minutes, member_user, client
):
    url = f"{members_url(sent_minutes)}kommentar/"
    with travel(datetime.combine(LAST_DAY, time(23, 59), tzinfo=TZ)):
        client.force_login(member_user)  # sessions expire: sign in at the moment travelled to
        response = client.post(url, {"body": "Punkt 1 bør præciseres.", "item": ""})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author.user == member_user
    assert comment.created_at == datetime.combine(LAST_DAY, time(23, 59), tzinfo=TZ)
    assert audits("comment.add") == 1

    with travel(datetime.combine(LAST_DAY + timedelta(days=1), time(0, 0), tzinfo=TZ)):
        client.force_login(member_user)
        response = client.post(url, {"body": "For sent.", "item": ""})
    page = response.content.decode()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Punkt 1 bør præciseres."]
    assert audits("comment.add") == 1
    # The page again, not a redirect: the typed text kept in the form, the reason at it.
    assert response.status_code == 400
    form = page.split('id="comments-heading"')[1]
    assert "For sent.</textarea>" in form
    assert escape(closed_notice("29. marts 2027")) in form
    assert escape(closed_notice("mandag 29. marts 2027")) in page  # the page's own notice
    assert "no_remarks" not in form and "ingen-bemaerkninger" not in form


@pytest.mark.parametrize(
    ("meeting_day", "sent", "last_day", "offset_hours"),
    [
        # Summer time starts on Sunday 28 March 2027: sent in CET, closes in CEST.
        (date(2027, 3, 17), datetime(2027, 3, 20, 10, 0, tzinfo=TZ), date(2027, 4, 3), 2),
        # Summer time ends on Sunday 31 October 2027: sent in CEST, closes in CET.
        (date(2027, 10, 13), datetime(2027, 10, 20, 10, 0, tzinfo=TZ), date(2027, 11, 3), 1),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_a_window_across_a_daylight_saving_change_closes_at_local_midnight(
    send_minutes, member_user, meeting_day, sent, last_day, offset_hours
):
    minutes = send_minutes(meeting_day, sent)
    closes = minutes.comments_close_at.astimezone(TZ)
    assert closes == datetime(last_day.year, last_day.month, last_day.day, 23, 59, 59, 999999, TZ)
    assert closes.time() == time.max
    assert closes.utcoffset() == timedelta(hours=offset_hours)
    sent_entry = AuditEntry.objects.get(action="minutes.send")
    assert datetime.fromisoformat(sent_entry.data["closes"]) == end_of(last_day)

    with travel(datetime.combine(last_day, time(23, 59, 59), tzinfo=TZ)):
        services.comment_add(actor=member_user, minutes=minutes, body="I sidste sekund.")
    too_late = end_of(last_day) + timedelta(microseconds=1)
    with travel(too_late), pytest.raises(services.DomainError):
        services.comment_add(actor=member_user, minutes=minutes, body="Et mikrosekund for sent.")
    assert list(Comment.objects.values_list("body", flat=True)) == ["I sidste sekund."]
    # The approval follows the same instant.
    assert services.approve_due(now=end_of(last_day)) == {"approved": 0}
    assert services.approve_due(now=end_of(last_day) + timedelta(microseconds=1)) == {"approved": 1}


# --- A member's own comments -----------------------------------------------------------------


def test_a_member_edits_and_deletes_their_own_comment_while_the_window_is_open(
    sent_minutes, member_user, client
):
    item = sent_minutes.items.get()
    with travel(SENT + timedelta(days=2)):
        comment = services.comment_add(
            actor=member_user, minutes=sent_minutes, body="Første udkast.", item=item
        )
    with travel(SENT + timedelta(days=3)):
        client.force_login(member_user)
        assert client.get(f"/referat/kommentarer/{comment.pk}/rediger/").status_code == 200
        response = client.post(
            f"/referat/kommentarer/{comment.pk}/rediger/", {"body": "Rettet kommentar."}
        )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Rettet kommentar."
    assert comment.item == item
    assert audits("comment.update") == 1

    with travel(SENT + timedelta(days=4)):
        client.force_login(member_user)
        response = client.post(f"/referat/kommentarer/{comment.pk}/slet/")
    assert response.status_code == 302
    assert not Comment.objects.exists()
    deleted = AuditEntry.objects.get(action="comment.delete")
    assert deleted.data == {"body": "Rettet kommentar."}
    assert deleted.actor == member_user


def test_after_the_window_a_member_can_no_longer_edit_or_delete_their_comment(
    sent_minutes, member_user, client
):
    with travel(SENT + timedelta(days=2)):
        comment = services.comment_add(actor=member_user, minutes=sent_minutes, body="Uændret.")
    with travel(end_of(LAST_DAY) + timedelta(hours=1)):
        client.force_login(member_user)
        edit = client.post(f"/referat/kommentarer/{comment.pk}/rediger/", {"body": "For sent."})
        delete = client.post(f"/referat/kommentarer/{comment.pk}/slet/", follow=True)
    assert edit.status_code == 200  # the form again, with the refusal
    assert escape(closed_notice("29. marts 2027")) in edit.content.decode()
    assert escape(closed_notice("29. marts 2027")) in delete.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Uændret."
    assert audits("comment.update") == audits("comment.delete") == 0


def test_a_member_cannot_edit_or_delete_another_members_comment(
    sent_minutes, member_user, second_member, client
):
    with travel(SENT + timedelta(days=2)):
        comment = services.comment_add(actor=member_user, minutes=sent_minutes, body="Min egen.")
        client.force_login(second_member)
        assert client.get(f"/referat/kommentarer/{comment.pk}/rediger/").status_code == 404
        edit = client.post(f"/referat/kommentarer/{comment.pk}/rediger/", {"body": "Overtaget."})
        delete = client.post(f"/referat/kommentarer/{comment.pk}/slet/")
        with pytest.raises(services.DomainError):
            services.comment_update(actor=second_member, comment=comment, body="Overtaget.")
    assert edit.status_code == delete.status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Min egen."
    assert audits("comment.update") == audits("comment.delete") == 0


# --- "No remarks" and the members' states ----------------------------------------------------


def test_a_members_no_remarks_is_recorded_until_the_window_closes(
    sent_minutes, member_user, client
):
    moment = SENT + timedelta(days=5)
    with travel(moment):
        client.force_login(member_user)
        response = client.post(f"{members_url(sent_minutes)}ingen-bemaerkninger/")
    assert response.status_code == 302
    receipt = Receipt.objects.get(minutes=sent_minutes, person__user=member_user)
    assert receipt.no_remarks_at == moment
    assert receipt.opened_at == moment
    assert AuditEntry.objects.get(action="minutes.no_remarks").actor == member_user
    [state] = selectors.member_states(sent_minutes)
    assert state.key == "no_remarks"
    assert not Comment.objects.exists()

    with travel(end_of(LAST_DAY) + timedelta(minutes=1)), pytest.raises(services.DomainError):
        services.no_remarks(actor=member_user, minutes=sent_minutes)
    assert audits("minutes.no_remarks") == 1


def test_no_remarks_is_not_offered_nor_accepted_once_the_member_has_commented(
    sent_minutes, member_user, client
):
    with travel(SENT + timedelta(days=2)):
        services.comment_add(actor=member_user, minutes=sent_minutes, body="En bemærkning.")
        client.force_login(member_user)
        html = client.get(members_url(sent_minutes)).content.decode()
        response = client.post(f"{members_url(sent_minutes)}ingen-bemaerkninger/", follow=True)

    assert "ingen-bemaerkninger" not in html and escape(danish("I have no remarks")) not in html
    assert [str(m) for m in response.context["messages"]] == [
        danish("You have commented on the minutes, so »no remarks« does not apply.")
    ]
    assert not Receipt.objects.filter(no_remarks_at__isnull=False).exists()
    assert audits("minutes.no_remarks") == 0
    [state] = selectors.member_states(sent_minutes)
    assert state.key == "commented"


def test_no_remarks_is_offered_to_a_member_who_has_not_commented(sent_minutes, member_user, client):
    with travel(SENT + timedelta(days=2)):
        client.force_login(member_user)
        html = client.get(members_url(sent_minutes)).content.decode()
    assert "ingen-bemaerkninger" in html and escape(danish("I have no remarks")) in html


def test_the_secretariat_sees_whether_each_member_has_opened_commented_or_has_no_remarks(
    send_minutes, member_user, secretariat_user, client
):
    opener = add_member("aabner@example.org", "Olga Åbner")
    commenter = add_member("kommentator@example.org", "Karl Kommentator")
    satisfied = add_member("tilfreds@example.org", "Tove Tilfreds")
    minutes = send_minutes()
    with travel(SENT + timedelta(days=1)):
        for user in (opener, commenter, satisfied):
            client.force_login(user)
            assert client.get(members_url(minutes)).status_code == 200
        client.force_login(commenter)
        client.post(f"{members_url(minutes)}kommentar/", {"body": "Se punkt 1."})
        client.force_login(satisfied)
        client.post(f"{members_url(minutes)}ingen-bemaerkninger/")
        client.force_login(secretariat_user)
        page = client.get(f"/sekretariat/moeder/{minutes.meeting_id}/referat/kommentarer/")

    states = {s.person.name: s.key for s in selectors.member_states(minutes)}
    assert states == {
        member_user.person.name: "not_opened",
        "Olga Åbner": "opened",
        "Karl Kommentator": "commented",
        "Tove Tilfreds": "no_remarks",
    }
    assert Receipt.objects.filter(minutes=minutes, opened_at__isnull=False).count() == 3
    assert audits("comment.add") == audits("minutes.no_remarks") == 1
    assert page.status_code == 200
    html = page.content.decode()
    for name, label in [
        (member_user.person.name, "not opened"),
        ("Olga Åbner", "opened"),
        ("Karl Kommentator", "commented"),
        ("Tove Tilfreds", "no remarks"),
    ]:
        assert f"<tr><td>{escape(name)}</td><td>{escape(danish(label))}</td></tr>" in html
    assert "Se punkt 1." in html


# --- Revised drafts ----------------------------------------------------------------------------


def _revise(client, secretary, minutes: Minutes, summary: str, note: str):
    item = minutes.items.get()
    services.minutes_save(
        actor=secretary,
        minutes=minutes,
        lock_version=Minutes.objects.get(pk=minutes.pk).lock_version,
        introduction="",
        items={item.pk: {"summary": summary, "decision": item.decision}},
    )
    client.force_login(secretary)
    return client.post(
        f"/sekretariat/moeder/{minutes.meeting_id}/referat/revider/",
        {"change_note": note, "confirm": "1"},
    )


def test_a_revision_during_the_window_is_version_2_sent_once_to_each_member_and_keeps_the_window(
    member_user,
    second_member,
    sent_minutes,
    secretariat_user,
    client,
    django_capture_on_commit_callbacks,
):
    closes = sent_minutes.comments_close_at
    with travel(SENT + timedelta(days=3)), django_capture_on_commit_callbacks(execute=True):
        response = _revise(
            client, secretariat_user, sent_minutes, "Forummet drøftede grundigt sagen.", "Punkt 1"
        )
    assert response.status_code == 302
    sent_minutes.refresh_from_db()
    assert sent_minutes.comments_close_at == closes == end_of(LAST_DAY)
    v2 = MinutesVersion.objects.get(minutes=sent_minutes, number=2)
    assert not v2.is_final and v2.pdf.name and v2.change_note == "Punkt 1"
    assert v2.items[0]["summary"] == "Forummet drøftede grundigt sagen."
    assert MinutesVersion.objects.get(number=1).items[0]["summary"] == SUMMARY
    assert AuditEntry.objects.get(action="minutes.revise").data == {"version": 2}
    members = sorted([member_user.email, second_member.email])
    assert outbox("minutes_revised") == members
    revised = OutboxMessage.objects.filter(kind="minutes_revised").first()
    assert revised.attachments.get().filename == "referat-udkast-v2.pdf"
    assert "29. marts 2027" in revised.body_text  # the window still closes then

    # The catch-up of the sweep, twice, a day later: nobody is told again.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            sweep_run(now=SENT + timedelta(days=4))
    assert outbox("minutes_revised") == members
    assert outbox("minutes_sent") == members


def test_a_revision_after_the_window_has_closed_is_refused(
    sent_minutes, secretariat_user, client, django_capture_on_commit_callbacks
):
    item = sent_minutes.items.get()
    with travel(end_of(LAST_DAY) + timedelta(minutes=5)):
        with pytest.raises(services.DomainError):
            services.minutes_save(
                actor=secretariat_user,
                minutes=sent_minutes,
                lock_version=sent_minutes.lock_version,
                introduction="",
                items={item.pk: {"summary": "For sent.", "decision": ""}},
            )
        with pytest.raises(services.DomainError):
            services.minutes_revise(actor=secretariat_user, minutes=sent_minutes, change_note="x")
        client.force_login(secretariat_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/sekretariat/moeder/{sent_minutes.meeting_id}/referat/revider/",
                {"change_note": "For sent.", "confirm": "1"},
                follow=True,
            )
    assert response.status_code == 200
    assert escape(
        danish("A revised draft can be issued only while the comment window is open.")
    ) in (response.content.decode())
    # Refused on the confirmation page itself: the typed change note is still in its form.
    assert response.redirect_chain == []
    assert "For sent.</textarea>" in response.content.decode()
    assert list(MinutesVersion.objects.values_list("number", flat=True)) == [1]
    assert sent_minutes.items.get().summary == SUMMARY
    assert not OutboxMessage.objects.filter(kind="minutes_revised").exists()
    assert audits("minutes.revise") == 0


def test_the_version_comparison_shows_inserted_and_deleted_words(
    sent_minutes, member_user, secretariat_user, client, django_capture_on_commit_callbacks
):
    with travel(SENT + timedelta(days=3)), django_capture_on_commit_callbacks(execute=True):
        _revise(client, secretariat_user, sent_minutes, "Forummet drøftede grundigt sagen.", "1")
        client.force_login(member_user)
        response = client.get(f"{members_url(sent_minutes)}sammenlign/?fra=1&til=2")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>kort</del>" in html
    assert "<ins>grundigt</ins>" in html
    assert "drøftede" in html and "<del>drøftede" not in html and "<ins>drøftede" not in html
    assert MinutesVersion.objects.count() == 2


# --- Reminders three days before the window closes ---------------------------------------------


def test_three_days_before_the_window_closes_silent_members_get_one_reminder_and_the_secretariat_one_warning(  # noqa: E501
    send_minutes, member_user, secretariat_user, django_capture_on_commit_callbacks
):
    opener = add_member("aabner@example.org", "Olga Åbner")
    commenter = add_member("kommentator@example.org", "Karl Kommentator")
    answered = add_member("besvaret@example.org", "Bo Besvaret")
    satisfied = add_member("tilfreds@example.org", "Tove Tilfreds")
    minutes = send_minutes()
    with travel(SENT + timedelta(days=1)):
        services.mark_opened(person=opener.person, minutes=minutes)
        services.comment_add(actor=commenter, minutes=minutes, body="Mangler en disposition.")
        done = services.comment_add(actor=answered, minutes=minutes, body="Allerede besvaret.")
        services.comment_dispose(
            actor=secretariat_user, comment=done, disposition="answered", note="Tak."
        )
        services.no_remarks(actor=satisfied, minutes=minutes)

    # A minute before the last three days begin: too early.
    with django_capture_on_commit_callbacks(execute=True):
        sweep_run(now=end_of(LAST_DAY - timedelta(days=3)) - timedelta(minutes=1))
    assert outbox("minutes_comment_reminder") == outbox("minutes_disposition_warning") == []

    # 3 days before, twice: one reminder to each silent member, one warning.
    with django_capture_on_commit_callbacks(execute=True):
        for hour in (9, 10):
            report = sweep_run(now=at(LAST_DAY - timedelta(days=2), hour))
            assert "error" not in report["minutes.services.remind_comment_window"]
    assert outbox("minutes_comment_reminder") == sorted([member_user.email, opener.email])
    assert outbox("minutes_disposition_warning") == [secretariat_user.email]
    warning = OutboxMessage.objects.get(kind="minutes_disposition_warning")
    assert "Mangler en disposition." in warning.body_text
    assert "Allerede besvaret." not in warning.body_text
    assert "mandag 29. marts 2027" in warning.body_text
    minutes.refresh_from_db()
    assert minutes.member_reminder_sent_for == minutes.comments_close_at
    assert minutes.disposition_warning_sent_for == minutes.comments_close_at


# --- Who may see the minutes --------------------------------------------------------------------


def test_a_member_of_another_forum_gets_404_on_the_minutes(sent_minutes, other_member_user, client):
    with travel(SENT + timedelta(days=1)):
        client.force_login(other_member_user)
        page = client.get(members_url(sent_minutes))
        post = client.post(f"{members_url(sent_minutes)}kommentar/", {"body": "Udefra."})
        pdf = client.get(f"{members_url(sent_minutes)}version/1.pdf")
    assert page.status_code == post.status_code == pdf.status_code == 404
    assert not Comment.objects.exists()
    assert not Receipt.objects.exists()


def test_draft_minutes_are_not_visible_to_members(
    forums, member_user, secretariat_user, client, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with travel(at(MEETING_DAY - timedelta(days=60), 9)):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
    with travel(SENT):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        client.force_login(member_user)
        page = client.get(members_url(minutes))
        post = client.post(f"{members_url(minutes)}kommentar/", {"body": "For tidligt."})
        client.force_login(secretariat_user)
        secretariat_page = client.get(members_url(minutes))
    assert page.status_code == post.status_code == 404
    assert secretariat_page.status_code == 200
    assert not Comment.objects.exists()
    assert not Receipt.objects.exists()
    assert Minutes.objects.get().status == Minutes.Status.DRAFT
