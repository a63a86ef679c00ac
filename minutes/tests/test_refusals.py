"""What the pages and services refuse around the approved record: a disposition after the
comment window closed (even before the sweep approved), a change to a comment the
secretariat has decided on, changes to approved minutes through the services, comments
from non-members, and races with the sweep, which end in a Danish message, never a 500.
The admin shows approved minutes read-only."""

import re
from datetime import datetime, timedelta

import pytest
from django.db.models import F
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry
from forums.tests.factories import UserFactory
from meetings.tests.factories import at, schedule
from minutes import forms, services
from minutes.models import (
    Comment,
    Erratum,
    FollowUpAction,
    Minutes,
    MinutesItem,
    MinutesVersion,
)
from minutes.tests.test_approval import (
    OPEN_TITLE,
    SF_CLOSES,
    SF_DAY,
    SF_SENT,
    TZ,
    approve,
    send,
    travel,
)
from minutes.tests.test_immutability import administration
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

DURING = SF_SENT + timedelta(days=3)
AFTER_CLOSE = SF_CLOSES + timedelta(minutes=30)  # the window closed; the sweep has not run
AFTER = datetime(2027, 3, 30, 1, tzinfo=TZ)
LATER = datetime(2027, 4, 6, 9, tzinfo=TZ)

APPROVED = "The minutes are finally approved and cannot change. Add a correction instead."
LOCKED = (
    "The secretariat has already dealt with this comment, so it can no longer be changed or "
    "deleted."
)
WINDOW_CLOSED = (
    "The comment window closed at the end of %(day)s; the minutes are approved as they stood "
    "then, so no disposition can be recorded."
)


def da(msgid: str, **values) -> str:
    with translation.override("da"):
        text = gettext(msgid)
    return text % values if values else text


def danish(msgid: str, **values) -> str:
    """As the page shows it (HTML-escaped)."""
    return escape(da(msgid, **values))


@pytest.fixture
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def minutes(forums, member_user, secretariat_user, media, django_capture_on_commit_callbacks):
    """Samarbejdsforum's minutes, sent on 15 March 2027; the window closes at the end of
    29 March."""
    with django_capture_on_commit_callbacks(execute=True):
        return send(forums["samarbejdsforum"], secretariat_user, day=SF_DAY, sent=SF_SENT)


@pytest.fixture
def comment(minutes, member_user) -> Comment:
    with travel(SF_SENT + timedelta(days=1)):
        return services.comment_add(actor=member_user, minutes=minutes, body="Tallene mangler.")


def approve_now(minutes: Minutes) -> None:
    """What the sweep's compare-and-set does, at whatever moment the test needs it."""
    Minutes.objects.filter(pk=minutes.pk, status=Minutes.Status.SENT).update(
        status=Minutes.Status.APPROVED,
        approved_at=F("comments_close_at"),
        approval_recorded_at=AFTER,
    )


def audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- A disposition belongs to the window ------------------------------------------------------------


def test_a_disposition_after_the_window_closed_is_refused_before_the_sweep_has_approved(
    minutes, comment, secretariat_user
):
    with travel(AFTER_CLOSE), pytest.raises(services.DomainError) as refused:
        services.comment_dispose(
            actor=secretariat_user, comment=comment, disposition="incorporated"
        )
    assert refused.value.messages == [gettext(WINDOW_CLOSED) % {"day": services._day(SF_CLOSES)}]
    comment.refresh_from_db()
    assert comment.disposition == "" and comment.disposed_at is None
    assert audits("comment.dispose") == 0
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT  # the sweep has not run yet


def test_the_secretariat_sees_on_the_page_that_the_window_has_closed_and_cannot_dispose(
    minutes, comment, secretariat_user, client, django_capture_on_commit_callbacks
):
    url = f"/sekretariat/moeder/{minutes.meeting_id}/referat/kommentarer/"
    with travel(AFTER_CLOSE):
        client.force_login(secretariat_user)
        page = client.get(url).content.decode()
        response = client.post(
            f"/sekretariat/kommentarer/{comment.pk}/disposition/",
            {"disposition": "answered", "disposition_note": "For sent."},
        )
    notice = danish(WINDOW_CLOSED, day="29. marts 2027")
    assert notice in page
    assert 'name="disposition"' not in page
    # The page again, not a redirect: the reason at the comment, the typed note kept.
    assert response.status_code == 400
    refused = response.content.decode().split(f'id="comment-{comment.pk}"')[1]
    assert escape(notice) in refused or notice in refused
    assert "For sent." in refused
    comment.refresh_from_db()
    assert comment.disposition == ""
    assert audits("comment.dispose") == 0
    # The approved version records the comment as it stood when the window closed.
    approve(minutes, django_capture_on_commit_callbacks, AFTER)
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
    assert [c["body"] for c in final.snapshot["undisposed_comments"]] == ["Tallene mangler."]


def test_a_disposition_during_the_window_is_saved(minutes, comment, secretariat_user):
    with travel(DURING):
        services.comment_dispose(
            actor=secretariat_user, comment=comment, disposition="answered", note="Tak."
        )
    comment.refresh_from_db()
    assert (comment.disposition, comment.disposition_note) == ("answered", "Tak.")
    assert comment.disposed_at == DURING and comment.disposed_by == secretariat_user
    assert audits("comment.dispose") == 1


# --- A comment with a disposition is locked ---------------------------------------------------------


@pytest.fixture
def disposed(comment, secretariat_user) -> Comment:
    with travel(DURING):
        services.comment_dispose(
            actor=secretariat_user, comment=comment, disposition="incorporated"
        )
    comment.refresh_from_db()
    return comment


def test_a_comment_with_a_disposition_can_no_longer_be_edited_or_deleted(disposed, member_user):
    with travel(DURING + timedelta(hours=1)):
        with pytest.raises(services.DomainError, match=re.escape(da(LOCKED))):
            services.comment_update(actor=member_user, comment=disposed, body="Nyt indhold.")
        with pytest.raises(services.DomainError, match=re.escape(da(LOCKED))):
            services.comment_delete(actor=member_user, comment=disposed)
    disposed.refresh_from_db()
    assert disposed.body == "Tallene mangler." and disposed.disposition == "incorporated"
    assert audits("comment.update") == audits("comment.delete") == 0


def test_the_member_sees_no_edit_button_on_a_disposed_comment_and_the_server_refuses(
    minutes, disposed, member_user, client
):
    with travel(DURING + timedelta(hours=1)):
        client.force_login(member_user)
        page = client.get(f"/moeder/{minutes.meeting_id}/referat/").content.decode()
        edit_page = client.get(f"/referat/kommentarer/{disposed.pk}/rediger/").content.decode()
        edit = client.post(f"/referat/kommentarer/{disposed.pk}/rediger/", {"body": "Nyt."})
        delete = client.post(f"/referat/kommentarer/{disposed.pk}/slet/", follow=True)
    assert f"/referat/kommentarer/{disposed.pk}/rediger/" not in page
    assert f"/referat/kommentarer/{disposed.pk}/slet/" not in page
    assert 'name="body"' not in edit_page and danish(LOCKED) in edit_page
    assert edit.status_code == 200
    assert danish(LOCKED) in edit.content.decode() and "Nyt." in edit.content.decode()
    assert danish(LOCKED) in delete.content.decode()
    disposed.refresh_from_db()
    assert disposed.body == "Tallene mangler."
    assert audits("comment.update") == audits("comment.delete") == 0


def test_a_comment_without_a_disposition_can_still_be_edited(comment, member_user, client):
    with travel(DURING):
        client.force_login(member_user)
        response = client.post(f"/referat/kommentarer/{comment.pk}/rediger/", {"body": "Rettet."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Rettet."
    assert audits("comment.update") == 1


# --- Races with the sweep end in a refusal ----------------------------------------------------------


def test_the_minutes_approved_while_a_disposition_is_saved_give_a_message_not_a_500(
    minutes, comment, secretariat_user, client, monkeypatch
):
    clean = forms.DispositionForm.clean

    def approve_then_clean(form):
        approve_now(minutes)  # the sweep wins between the page's read and its write
        return clean(form)

    monkeypatch.setattr(forms.DispositionForm, "clean", approve_then_clean)
    with travel(DURING):
        client.force_login(secretariat_user)
        response = client.post(
            f"/sekretariat/kommentarer/{comment.pk}/disposition/",
            {"disposition": "answered", "disposition_note": "Tak. Et svar der ikke må gå tabt."},
        )
        shown = response.content.decode()
    assert response.status_code == 400
    assert danish(APPROVED) in shown
    # The typed note is shown again beside the reason (the form itself is gone: approved).
    refused = shown.split(f'id="comment-{comment.pk}"')[1]
    assert "Tak. Et svar der ikke må gå tabt." in refused
    comment.refresh_from_db()
    assert comment.disposition == ""
    assert audits("comment.dispose") == 0


def test_the_minutes_approved_while_the_editor_saves_show_the_form_again_with_a_message(
    minutes, secretariat_user, client, monkeypatch
):
    clean = forms.MinutesEditorForm.clean

    def approve_then_clean(form):
        approve_now(minutes)
        return clean(form)

    monkeypatch.setattr(forms.MinutesEditorForm, "clean", approve_then_clean)
    item = minutes.items.get(title=OPEN_TITLE)
    data = {"lock_version": minutes.lock_version, "introduction": "Forfalsket indledning."}
    for other in minutes.items.all():
        data[f"summary_{other.pk}"] = other.summary
        data[f"decision_{other.pk}"] = other.decision
    data[f"decision_{item.pk}"] = "Forfalsket beslutning."
    with travel(DURING):
        client.force_login(secretariat_user)
        response = client.post(f"/sekretariat/moeder/{minutes.meeting_id}/referat/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert danish(APPROVED) in html
    assert "Forfalsket beslutning." in html  # what was typed is still there
    minutes.refresh_from_db()
    assert minutes.introduction == "Velkommen."
    assert MinutesItem.objects.get(pk=item.pk).decision == "Godkendt."
    assert audits("minutes.save") == 1  # the one from sending


def test_the_minutes_approved_right_after_the_services_check_give_a_message_not_a_500(
    minutes, secretariat_user, client, monkeypatch
):
    """The check passed, then the sweep approved: the model's own guard refuses the delete
    with ApprovedMinutesError, which the shared post_action turns into a message."""
    with travel(DURING):
        action = services.action_add(
            actor=secretariat_user,
            item=minutes.items.get(title=OPEN_TITLE),
            what="Send planen",
            responsible=administration(),
        )
    # The check lives with the drafting services (minutes/services/drafting.py).
    check = services.drafting._check_editable

    def check_then_approve(locked, now):
        check(locked, now)
        approve_now(minutes)

    monkeypatch.setattr(services.drafting, "_check_editable", check_then_approve)
    with travel(DURING):
        client.force_login(secretariat_user)
        response = client.post(f"/sekretariat/handlinger/{action.pk}/slet/", follow=True)
    assert response.status_code == 200
    assert danish(APPROVED) in response.content.decode()
    assert FollowUpAction.objects.filter(pk=action.pk).exists()
    assert audits("action.delete") == 0


def test_a_disposition_saved_while_the_member_edits_keeps_the_members_text_on_the_form(
    comment, member_user, secretariat_user, client, monkeypatch
):
    clean = forms.CommentForm.clean

    def dispose_then_clean(form):
        Comment.objects.filter(pk=comment.pk).update(
            disposition="answered", disposed_by=secretariat_user
        )
        return clean(form)

    monkeypatch.setattr(forms.CommentForm, "clean", dispose_then_clean)
    with travel(DURING):
        client.force_login(member_user)
        response = client.post(
            f"/referat/kommentarer/{comment.pk}/rediger/", {"body": "Min nye tekst."}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert danish(LOCKED) in html and "Min nye tekst." in html
    comment.refresh_from_db()
    assert comment.body == "Tallene mangler."
    assert audits("comment.update") == 0


# --- The services' own guards -------------------------------------------------------------------------


@pytest.fixture
def approved(minutes, django_capture_on_commit_callbacks) -> Minutes:
    return approve(minutes, django_capture_on_commit_callbacks, AFTER)


def test_the_text_of_approved_minutes_cannot_be_saved_through_the_service(
    approved, secretariat_user
):
    item = approved.items.get(title=OPEN_TITLE)
    with travel(AFTER), pytest.raises(services.DomainError, match=re.escape(da(APPROVED))) as no:
        services.minutes_save(
            actor=secretariat_user,
            minutes=approved,
            lock_version=approved.lock_version,
            introduction="Forfalsket.",
            items={item.pk: {"summary": "Forfalsket.", "decision": "Forfalsket."}},
        )
    assert no.type is services.DomainError  # the service's own check, before any write
    approved.refresh_from_db()
    assert approved.introduction == "Velkommen."
    assert MinutesItem.objects.get(pk=item.pk).decision == "Godkendt."
    assert audits("minutes.save") == 1


def test_no_follow_up_action_can_be_added_to_approved_minutes_through_the_service(
    approved, secretariat_user
):
    with travel(AFTER), pytest.raises(services.DomainError, match=re.escape(da(APPROVED))) as no:
        services.action_add(
            actor=secretariat_user,
            item=approved.items.get(title=OPEN_TITLE),
            what="Forfalsket",
            responsible=administration(),
        )
    assert no.type is services.DomainError  # the service's own check, not the model's
    assert not FollowUpAction.objects.exists()
    assert audits("action.add") == 0


def test_a_member_of_another_forum_cannot_comment_through_the_service(minutes, other_member_user):
    with (
        travel(DURING),
        pytest.raises(
            services.DomainError,
            match=re.escape(da("Only the forum's members can comment on the minutes.")),
        ),
    ):
        services.comment_add(actor=other_member_user, minutes=minutes, body="Udefra.")
    assert not Comment.objects.exists()
    assert audits("comment.add") == 0


def test_a_draft_version_is_not_mailed_once_the_minutes_are_approved(
    minutes, secretariat_user, django_capture_on_commit_callbacks
):
    item = minutes.items.get(title=OPEN_TITLE)
    with travel(DURING):
        services.minutes_save(
            actor=secretariat_user,
            minutes=minutes,
            lock_version=Minutes.objects.get(pk=minutes.pk).lock_version,
            introduction="Velkommen.",
            items={item.pk: {"summary": "Ny tekst.", "decision": "Godkendt."}},
        )
        # The revised draft's task is lost (its callbacks are not run).
        with django_capture_on_commit_callbacks(execute=False):
            revised = services.minutes_revise(
                actor=secretariat_user, minutes=minutes, change_note="Ny tekst."
            )
    approve(minutes, django_capture_on_commit_callbacks, AFTER)
    before = OutboxMessage.objects.filter(kind="minutes_revised").count()
    assert services.minutes_version_distribute(version_id=revised.pk) == 0
    revised.refresh_from_db()
    assert revised.distributed_at is None
    assert OutboxMessage.objects.filter(kind="minutes_revised").count() == before == 0
    # The catch-up sweep renders its missing PDF (written once), then leaves it alone.
    services.minutes_version_render(version_id=revised.pk)
    revised.refresh_from_db()
    assert revised.pdf.name and revised.distributed_at is None
    assert services.versions_catch_up(now=LATER) == {"versions": 0}


# --- The admin ------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    """A superuser's client; call it inside the test's travel, so the session is fresh."""
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)

    def login():
        client.force_login(admin)
        return client

    return login


@pytest.fixture
def full_record(minutes, member_user, secretariat_user, django_capture_on_commit_callbacks):
    item = minutes.items.get(title=OPEN_TITLE)
    with travel(DURING):
        action = services.action_add(
            actor=secretariat_user, item=item, what="Send planen", responsible=administration()
        )
        comment = services.comment_add(actor=member_user, minutes=minutes, body="Tak.")
    approve(minutes, django_capture_on_commit_callbacks, AFTER)
    erratum = Erratum.objects.create(minutes=minutes, text="Rettelse.")
    return {
        "minutes": minutes,
        "minutesitem": item,
        "comment": comment,
        "followupaction": action,
        "minutesversion": minutes.versions.get(is_final=True),
        "erratum": erratum,
    }


MODELS = ["minutes", "minutesitem", "comment", "followupaction", "minutesversion", "erratum"]


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_shows_every_part_of_approved_minutes_read_only(full_record, admin_client, model):
    obj = full_record[model]
    base = f"/admin/minutes/{model}/"
    with travel(AFTER + timedelta(hours=8)):
        admin_client = admin_client()
        change = admin_client.get(f"{base}{obj.pk}/change/")
        post = admin_client.post(f"{base}{obj.pk}/change/", {"_save": "1"})
        delete = admin_client.post(f"{base}{obj.pk}/delete/", {"post": "yes"})
        add = admin_client.get(f"{base}add/")
        changelist = admin_client.get(base)
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert post.status_code == delete.status_code == add.status_code == 403
    assert changelist.status_code == 200
    assert 'name="action"' not in changelist.content.decode()  # no bulk actions
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_admin_adds_or_deletes_no_part_of_draft_minutes_either(
    forums, secretariat_user, media, admin_client
):
    with travel(at(SF_DAY - timedelta(days=60), 9)):
        meeting = schedule(forums["samarbejdsforum"], day=SF_DAY)
    with travel(SF_SENT):
        draft = services.minutes_start(actor=secretariat_user, meeting=meeting)
        html = admin_client().get(f"/admin/minutes/minutes/{draft.pk}/change/").content.decode()
    assert 'name="_save"' in html and 'name="items-0-summary"' in html  # a draft can change
    assert "__prefix__" not in html  # no empty row to add a part
    assert "-DELETE" not in html  # no box to delete one


def test_the_admin_page_of_approved_minutes_shows_its_parts_without_add_or_delete(
    full_record, admin_client
):
    minutes = full_record["minutes"]
    with travel(AFTER + timedelta(hours=8)):
        html = admin_client().get(f"/admin/minutes/minutes/{minutes.pk}/change/").content.decode()
    assert OPEN_TITLE in html and "Tak." in html and "Rettelse." in html
    # Shown as text: no field of any part to change, no box to delete it, no row to add.
    for field in ("items-0-summary", "versions-0-change_note", "comments-0-body", "errata-0-text"):
        assert f'name="{field}"' not in html
    assert "-DELETE" not in html and "__prefix__" not in html


def test_a_comment_on_minutes_never_sent_gets_no_disposition(
    forums, member_user, secretariat_user, media
):
    with travel(at(SF_DAY - timedelta(days=60), 9)):
        meeting = schedule(forums["samarbejdsforum"], day=SF_DAY)
    with travel(SF_SENT):
        draft = services.minutes_start(actor=secretariat_user, meeting=meeting)
        stray = Comment.objects.create(minutes=draft, author=member_user.person, body="Tidligt.")
        refusal = re.escape(da("The minutes have not been sent for comments yet."))
        with pytest.raises(services.DomainError, match=refusal):
            services.comment_dispose(actor=secretariat_user, comment=stray, disposition="answered")
    stray.refresh_from_db()
    assert stray.disposition == ""
    assert audits("comment.dispose") == 0
