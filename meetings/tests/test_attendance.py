"""Attendance as it happened: the secretariat records, at or after the meeting, whether each
member was present, sent apologies, was absent or was represented by a substitute of their
seat. The members' own answers beforehand (RSVP with a note) are shown beside it and never
changed by it; members who did not answer are listed; the minutes print the record."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.errors import DomainError
from core.models import AuditEntry
from forums.models import Membership
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings import services
from meetings.models import Attendance, Presence
from meetings.selectors import forum_people, substitutes_for
from meetings.tests.factories import schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
        return text % params if params else text


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def llo(forums):
    """The LLO seat of Samarbejdsforum: its holder (with an account) and its substitute."""
    user = UserFactory(email="llo@example.org")
    holder = PersonFactory(name="Lone Lejer", email="llo@example.org", user=user)
    llo_seat = seat("samarbejdsforum", organisation__short_name="LLO")
    MembershipFactory(person=holder, forum=forum("samarbejdsforum"), seat=llo_seat)
    substitute = PersonFactory(name="Sara Suppleant", email="suppleant.llo@example.org")
    MembershipFactory(
        person=substitute,
        forum=forums["samarbejdsforum"],
        seat=llo_seat,
        role=Membership.Role.SUBSTITUTE,
    )
    return user, holder, substitute


@pytest.fixture
def meeting(forums, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return schedule(forums["samarbejdsforum"], days_ahead=30)


def during(meeting):
    return time_machine.travel(meeting.starts_at + timedelta(minutes=5), tick=False)


def test_the_secretariat_records_presence_and_representation_apart_from_the_members_answers(
    llo, meeting, secretariat_user
):
    user, holder, substitute = llo
    services.attendance_register(
        actor=user, meeting=meeting, person=holder, status="attending", note="kommer 13:15"
    )
    members = forum_people(meeting.forum, on=meeting.day)
    other = next(p for p in members if p.pk != holder.pk)
    with during(meeting):
        response = login(secretariat_user).post(
            f"/sekretariat/moeder/{meeting.pk}/fremmoede/",
            {
                f"status_{holder.pk}": "represented",
                f"substitute_{holder.pk}": substitute.pk,
                f"status_{other.pk}": "excused",
            },
        )
    assert response.status_code == 302
    recorded = {p.person: (p.status, p.substitute, p.recorded_by) for p in Presence.objects.all()}
    assert recorded == {
        holder: ("represented", substitute, secretariat_user),
        other: ("excused", None, secretariat_user),
    }
    # The member's own answer stays as the member gave it.
    rsvp = Attendance.objects.get()
    assert (rsvp.person, rsvp.status, rsvp.note) == (holder, "attending", "kommer 13:15")
    assert AuditEntry.objects.get(action="presence.record").data == {
        str(holder.pk): ["represented", substitute.pk],
        str(other.pk): ["excused", None],
    }

    workspace = login(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert escape("»kommer 13:15«") in workspace
    assert escape(danish("Represented by substitute %(name)s", name="Sara Suppleant")) in workspace
    assert escape(danish("Sent apologies")) in workspace


def test_members_who_did_not_answer_are_listed_for_the_secretariat(
    llo, meeting, secretariat_client
):
    user, holder, _substitute = llo
    services.attendance_register(actor=user, meeting=meeting, person=holder, status="attending")
    silent = [p for p in forum_people(meeting.forum, on=meeting.day) if p.pk != holder.pk]
    assert silent

    html = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    listed = html.split('class="unanswered"', 1)[1].split("</p>", 1)[0]
    for person in silent:
        assert escape(person.name) in listed
    assert escape(holder.name) not in listed


def test_attendance_is_recorded_only_once_the_meeting_has_started(
    llo, meeting, secretariat_user, secretariat_client
):
    _user, holder, _substitute = llo
    response = secretariat_client.post(
        f"/sekretariat/moeder/{meeting.pk}/fremmoede/", {f"status_{holder.pk}": "present"}
    )
    assert response.status_code == 200
    assert escape(danish("Attendance is recorded when the meeting has started.")) in (
        response.content.decode()
    )
    with pytest.raises(DomainError):
        services.presence_record(
            actor=secretariat_user,
            meeting=meeting,
            entries=[(holder, "present", None)],
            now=meeting.starts_at - timedelta(minutes=1),
        )
    assert not Presence.objects.exists()
    assert not AuditEntry.objects.filter(action="presence.record").exists()


def test_only_the_secretariat_records_attendance(llo, meeting):
    user, holder, _substitute = llo
    with during(meeting), pytest.raises(DomainError) as refused:
        services.presence_record(actor=user, meeting=meeting, entries=[(holder, "present", None)])
    assert refused.value.messages == [danish("Only the secretariat records who attended.")]
    assert not Presence.objects.exists()
    with during(meeting):
        response = login(user).post(
            f"/sekretariat/moeder/{meeting.pk}/fremmoede/", {f"status_{holder.pk}": "present"}
        )
    assert response.status_code in (403, 404)
    assert not Presence.objects.exists()


def test_a_cancelled_meeting_has_no_attendance_to_record(llo, meeting, secretariat_user):
    _user, holder, _substitute = llo
    services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Ingen punkter")
    meeting.refresh_from_db()
    with during(meeting), pytest.raises(DomainError):
        services.presence_record(
            actor=secretariat_user, meeting=meeting, entries=[(holder, "present", None)]
        )
    assert not Presence.objects.exists()


def test_representation_needs_a_substitute_of_the_members_own_seat(
    llo, forums, meeting, secretariat_user
):
    _user, holder, _substitute = llo
    stranger = PersonFactory(name="Bent Suppleant")
    MembershipFactory(
        person=stranger,
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum", organisation__short_name="BL 1. kreds"),
        role=Membership.Role.SUBSTITUTE,
    )
    with during(meeting):
        response = login(secretariat_user).post(
            f"/sekretariat/moeder/{meeting.pk}/fremmoede/", {f"status_{holder.pk}": "represented"}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert escape(danish("Name the substitute who represented the member.")) in html
        # What was chosen stays chosen.
        assert 'value="represented" selected' in html
        with pytest.raises(DomainError) as refused:
            services.presence_record(
                actor=secretariat_user,
                meeting=meeting,
                entries=[(holder, "represented", stranger)],
            )
    assert refused.value.message_dict == {
        f"substitute_{holder.pk}": [
            danish("%(name)s is not a substitute for this seat.", name="Bent Suppleant")
        ]
    }
    assert not Presence.objects.exists()


def test_a_substitute_is_named_only_when_the_member_was_represented(llo, meeting, secretariat_user):
    _user, holder, substitute = llo
    with during(meeting), pytest.raises(DomainError) as refused:
        services.presence_record(
            actor=secretariat_user, meeting=meeting, entries=[(holder, "present", substitute)]
        )
    assert list(refused.value.message_dict) == [f"substitute_{holder.pk}"]
    assert not Presence.objects.exists()


def test_someone_outside_the_forum_cannot_be_recorded(meeting, secretariat_user):
    outsider = PersonFactory(name="Ude Udenfor")
    with during(meeting), pytest.raises(DomainError) as refused:
        services.presence_record(
            actor=secretariat_user, meeting=meeting, entries=[(outsider, "present", None)]
        )
    assert refused.value.message_dict == {
        f"status_{outsider.pk}": [
            danish("%(name)s is not a member of the forum.", name=outsider.name)
        ]
    }
    assert not Presence.objects.exists()


def test_clearing_a_row_removes_what_was_recorded(llo, meeting, secretariat_user):
    _user, holder, _substitute = llo
    with during(meeting):
        services.presence_record(
            actor=secretariat_user, meeting=meeting, entries=[(holder, "absent", None)]
        )
        services.presence_record(
            actor=secretariat_user, meeting=meeting, entries=[(holder, "", None)]
        )
    assert not Presence.objects.exists()
    assert AuditEntry.objects.filter(action="presence.record").count() == 2


def member_without_substitute(meeting):
    """A member of Samarbejdsforum whose seat (a BL 1. kreds seat) has no substitute."""
    person = PersonFactory(name="Ib Ingensuppleant")
    bl_seat = seat("samarbejdsforum", organisation__short_name="BL 1. kreds")
    MembershipFactory(person=person, forum=meeting.forum, seat=bl_seat)
    assert not substitutes_for(person, meeting.forum, on=meeting.day)
    return person


def test_representation_is_offered_only_where_the_seat_has_a_substitute_and_names_them(
    llo, meeting, secretariat_user
):
    _user, holder, _substitute = llo
    alone = member_without_substitute(meeting)
    with during(meeting):
        html = login(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/fremmoede/")
    html = html.content.decode()
    holder_select = html.split(f'name="status_{holder.pk}"', 1)[1].split("</select>", 1)[0]
    alone_select = html.split(f'name="status_{alone.pk}"', 1)[1].split("</select>", 1)[0]
    assert escape(danish("Represented by substitute (%(names)s)", names="Sara Suppleant")) in (
        holder_select
    )
    assert 'value="represented"' not in alone_select


def test_representation_is_refused_at_the_field_when_the_seat_has_no_substitute(
    llo, meeting, secretariat_user
):
    alone = member_without_substitute(meeting)
    message = danish(
        "%(name)s's seat has no substitute, so the member cannot have been represented.",
        name=alone.name,
    )
    with during(meeting):
        response = login(secretariat_user).post(
            f"/sekretariat/moeder/{meeting.pk}/fremmoede/", {f"status_{alone.pk}": "represented"}
        )
    assert response.status_code == 200
    html = response.content.decode()
    error = html.split(f'id="id_status_{alone.pk}-error"', 1)[1].split("</div>", 1)[0]
    assert escape(message) in error
    assert not Presence.objects.exists()
    assert not AuditEntry.objects.filter(action="presence.record").exists()
