"""Members without an e-mail address in the cockpit (forums/due.py): one line per current
membership of a person without an address, gone when the address is filled in."""

from datetime import date, datetime, timedelta

import pytest

from core.due import due_items
from forums import services
from forums.tests.factories import MembershipFactory, PersonFactory, forum, seat
from meetings.deadlines import TZ

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)


def due(now: datetime = NOW) -> list:
    until = now + timedelta(weeks=8)
    return [i for i in due_items(now=now, until=until) if i.kind == "member_without_email"]


def test_a_current_member_without_an_e_mail_address_is_due_until_one_is_given(
    forums, secretariat_user
):
    person = PersonFactory(name="Ulla Uden", email="")
    MembershipFactory(
        person=person,
        forum=forum("samarbejdsforum"),
        seat=seat("samarbejdsforum"),
        starts_on=date(2026, 11, 1),
    )
    [item] = due()
    assert item.detail == "Ulla Uden"
    assert item.forum_name == "Samarbejdsforum"
    # Due today, to fix now, but not a deadline that passed when the membership began: a
    # missing address never sorts ahead of the real overdue deadlines.
    assert not item.overdue(NOW)
    assert item.due.date() == NOW.date()
    assert item.url == f"/sekretariat/personer/{person.pk}/rediger/"
    services.person_save(actor=secretariat_user, person=person, email="ulla@example.org")
    assert due() == []


def test_a_former_member_without_an_e_mail_address_is_not_due(forums):
    MembershipFactory(
        person=PersonFactory(email=""),
        forum=forum("samarbejdsforum"),
        seat=seat("samarbejdsforum"),
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    assert due() == []
