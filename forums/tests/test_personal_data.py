"""Personal data only as long as needed (GDPR): contact data of people without a current
membership expires after the retention period, audit entries after theirs; the secretariat
can export everything held about a person and erase one who was never part of a record."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from core.audit import audit_record
from core.models import AuditEntry
from core.sweep import sweep_run
from forums.models import Person
from forums.retention import contact_data_expire
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum
from minutes.models import Comment

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Copenhagen")
ENTERED = datetime(2024, 1, 10, 9, tzinfo=TZ)


def person_with_membership(ends_on: date | None, **person) -> Person:
    email = person.pop("email", "tidligere@kk.dk")
    with time_machine.travel(ENTERED):
        user = UserFactory(email=email)
        someone = PersonFactory(email=email, phone="33 66 33 66", user=user, **person)
        MembershipFactory(person=someone, forum=forum("samarbejdsforum"), ends_on=ends_on)
    return someone


def test_contact_data_is_erased_two_years_after_the_last_membership_ended(forums):
    former = person_with_membership(date(2024, 6, 30), name="Tidligere Medlem")

    contact_data_expire(now=datetime(2026, 6, 29, 12, tzinfo=TZ))  # a day too early
    assert Person.objects.get(pk=former.pk).email == "tidligere@kk.dk"

    report = contact_data_expire(now=datetime(2026, 7, 2, 12, tzinfo=TZ))

    erased = Person.objects.get(pk=former.pk)
    assert report == {"erased": 1}
    assert (erased.name, erased.email, erased.phone) == ("Tidligere Medlem", "", "")
    assert not erased.history.exclude(email="").exists()
    assert not erased.history.exclude(phone="").exists()
    account = User.objects.get(pk=former.user_id)
    assert not account.is_active and not account.has_usable_password()
    assert account.email.endswith("@slettet.invalid")
    assert AuditEntry.objects.filter(action="person.contact_erase").count() == 1
    # idempotent: nothing is left to find
    assert contact_data_expire(now=datetime(2026, 7, 3, tzinfo=TZ)) == {}


def test_a_current_member_keeps_their_contact_data(forums):
    current = person_with_membership(None, name="Nuværende", email="nu@kk.dk")
    contact_data_expire(now=datetime(2030, 1, 1, tzinfo=TZ))
    assert Person.objects.get(pk=current.pk).email == "nu@kk.dk"


def test_a_person_who_never_had_a_membership_expires_from_when_they_were_entered(forums):
    with time_machine.travel(ENTERED):
        never = PersonFactory(email="aldrig@kk.dk")
    contact_data_expire(now=ENTERED + timedelta(days=729))
    assert Person.objects.get(pk=never.pk).email == "aldrig@kk.dk"
    contact_data_expire(now=ENTERED + timedelta(days=731))
    assert Person.objects.get(pk=never.pk).email == ""


def test_the_sweep_runs_the_retention_rules(forums, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    settings.AUDIT_RETENTION_DAYS = 30
    former = person_with_membership(date(2024, 1, 31))
    with time_machine.travel(ENTERED):
        audit_record(actor=None, action="person.export", obj=former)
    report = sweep_run(now=datetime(2024, 6, 1, tzinfo=TZ))

    assert report["forums.retention.contact_data_expire"] == {"erased": 1}
    assert report["core.audit.audit_entries_prune"]["deleted"] >= 1
    assert not AuditEntry.objects.filter(created_at__lt=datetime(2024, 5, 1, tzinfo=TZ)).exists()


def test_the_export_holds_everything_about_the_person_and_is_audited(
    forums, secretariat_client, member_user
):
    person = member_user.person
    response = secretariat_client.get(f"/sekretariat/personer/{person.pk}/persondata/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["person"]["email"] == member_user.email
    assert data["account"]["email"] == member_user.email
    assert data["memberships"][0]["forum"] == "Samarbejdsforum"
    for section in ("comments", "attendance_answers", "emails", "audit", "person_history"):
        assert section in data
    assert AuditEntry.objects.filter(action="person.export", object_id=str(person.pk)).exists()


def test_a_person_never_part_of_a_record_can_be_erased(forums, secretariat_client):
    with time_machine.travel(ENTERED):
        user = UserFactory(email="fejl@kk.dk")
        mistake = PersonFactory(name="Fejloprettet", email="fejl@kk.dk", user=user)
    url = f"/sekretariat/personer/{mistake.pk}/slet/"
    assert "Fejloprettet" in secretariat_client.get(url).content.decode()

    secretariat_client.post(url, {"confirm": "1"})

    assert not Person.objects.filter(pk=mistake.pk).exists()
    assert not User.objects.filter(email="fejl@kk.dk").exists()
    assert not Person.history.model.objects.filter(id=mistake.pk).exists()
    assert AuditEntry.objects.filter(action="person.erase").exists()


def test_a_person_in_the_record_cannot_be_erased(forums, secretariat_client, member_user):
    person = member_user.person
    response = secretariat_client.post(
        f"/sekretariat/personer/{person.pk}/slet/", {"confirm": "1"}, follow=True
    )
    assert Person.objects.filter(pk=person.pk).exists()
    assert "medlemskaber" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_person_whose_only_trace_is_a_proposal_is_not_erased(forums, secretariat_client):
    """No foreign key protects a proposal's proposer (it is kept, set to none): the rule
    »never part of a record« itself must refuse, naming the part."""
    from meetings.models import Proposal
    from meetings.tests.factories import schedule

    with time_machine.travel(ENTERED):
        user = UserFactory(email="forslag@kk.dk")
        proposer = PersonFactory(name="Forslagsstiller", email="forslag@kk.dk", user=user)
    meeting = schedule(forums["samarbejdsforum"], days_ahead=40)
    Proposal.objects.create(
        meeting=meeting,
        proposer=user,
        title="Et forslag",
        description="Tekst",
        treatment="decision",
    )

    response = secretariat_client.post(
        f"/sekretariat/personer/{proposer.pk}/slet/", {"confirm": "1"}, follow=True
    )

    assert Person.objects.filter(pk=proposer.pk).exists()
    assert Proposal.objects.get().proposer == user
    assert "fremmøde og forslag" in response.content.decode()
