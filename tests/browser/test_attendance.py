"""The secretariat records who attended a meeting in the browser: each member's own answer
(with the note) stands beside the record, members who did not answer are named, a wrong row
is refused at its field without losing the other choices, and axe passes on each page."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Membership
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, seat
from meetings import services
from meetings.models import Attendance, Presence
from meetings.tests.factories import at
from tests.browser.test_accessibility import open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def held_meeting(forums, member_user):
    """A Samarbejdsforum meeting a week ago. The LLO member answered »attending, kommer
    13:15« beforehand; the BL member (member_user) did not answer."""
    day = timezone.localdate() - timedelta(days=7)
    llo_seat = seat("samarbejdsforum", organisation__short_name="LLO")
    user = UserFactory(email="llo@example.org")
    holder = PersonFactory(name="Lone Lejer", email="llo@example.org", user=user)
    MembershipFactory(person=holder, forum=forums["samarbejdsforum"], seat=llo_seat)
    substitute = PersonFactory(name="Sara Suppleant")
    MembershipFactory(
        person=substitute,
        forum=forums["samarbejdsforum"],
        seat=llo_seat,
        role=Membership.Role.SUBSTITUTE,
    )
    with time_machine.travel(at(day - timedelta(days=30), 9), tick=False):
        meeting = services.meeting_schedule(
            actor=None,
            forum=forums["samarbejdsforum"],
            starts_at=at(day, 13),
            ends_at=at(day, 15),
        )
        services.attendance_register(
            actor=user, meeting=meeting, person=holder, status="attending", note="kommer 13:15"
        )
    return meeting, holder, substitute


def test_the_secretariat_records_attendance_beside_the_members_answers(
    held_meeting, member_user, site_context, secretariat_user, assert_accessible
):
    meeting, holder, substitute = held_meeting
    bl_member = member_user.person
    page = site_context(user=secretariat_user).new_page()

    open_page(page, f"/sekretariat/moeder/{meeting.pk}/")
    overview = page.locator("table.attendance-overview")
    expect(overview.get_by_role("row", name="Lone Lejer")).to_contain_text("»kommer 13:15«")
    expect(page.locator("p.unanswered")).to_contain_text(bl_member.name)
    page.get_by_role("link", name="Registrér fremmøde").click()
    assert_accessible(page, "the attendance form")

    page.get_by_label("Fremmøde for Lone Lejer").select_option(
        label="Repræsenteret ved suppleant (Sara Suppleant)"
    )
    page.get_by_label(f"Fremmøde for {bl_member.name}").select_option(label="Afbud")
    page.get_by_role("button", name="Gem fremmødet").click()

    # No substitute named: refused at the field, the other choice kept.
    error = "Angiv den suppleant, der repræsenterede medlemmet."
    expect(page.locator(".invalid-feedback", has_text=error)).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text(error)
    expect(page.get_by_label(f"Fremmøde for {bl_member.name}")).to_have_value("excused")
    assert not Presence.objects.exists()
    assert_accessible(page, "the attendance form with an error")

    page.get_by_label("Suppleant for Lone Lejer").select_option(label="Sara Suppleant")
    page.get_by_role("button", name="Gem fremmødet").click()
    expect(page.get_by_text("Fremmødet er registreret.")).to_be_visible()
    expect(overview.get_by_role("row", name="Lone Lejer")).to_contain_text(
        "Repræsenteret ved suppleant Sara Suppleant"
    )
    assert_accessible(page, "the workspace after recording")

    recorded = {p.person: (p.status, p.substitute) for p in Presence.objects.all()}
    assert recorded == {holder: ("represented", substitute), bl_member: ("excused", None)}
    assert Attendance.objects.get(person=holder).status == "attending"
