"""The framework agreement's life through its services and the sweep: every step out of
order is refused with a reason and changes nothing; it comes into force when both approvals
are recorded; a successor replaces its predecessor; the forums are told once; the
secretariat is reminded of renewal and of sub-agreements that run out, once each."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils.translation import gettext as _

from agreements import services
from agreements.models import AgreementVersion, FrameworkAgreement, SubAgreement, Theme
from core.models import AuditEntry
from core.sweep import sweep_run
from forums.models import Forum, Organisation
from forums.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    seat,
)
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.models import Meeting, Proposal
from meetings.selectors import forum_people
from meetings.tests.factories import at, schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

# Meetings are scheduled as if on 1 December 2026, whatever the day the tests run.
SCHEDULED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
PF_DAY = date(2027, 5, 20)  # in Partnerskabsforum's quarter, with 4 months' notice
START, END = date(2027, 1, 1), date(2030, 12, 31)


def at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=TZ)


def borgmesterforum_preparation():
    """The Borgmesterforum meeting (an archive entry of 4 March 2026) that prepared the
    agreements of these tests: a renewal is negotiated only once one is named (issue 10 §4)."""
    from meetings.models import Meeting

    existing = Meeting.objects.filter(forum__slug="borgmesterforum", is_archive=True).first()
    return existing or meeting_services.meeting_schedule(
        actor=None,
        forum=Forum.objects.get(slug="borgmesterforum"),
        starts_at=at(date(2026, 3, 4), 14),
        ends_at=at(date(2026, 3, 4), 16),
        is_archive=True,
        now=SCHEDULED_AT,
    )


def new_agreement(actor, *, title="Hovedaftale 2027–2030", start=START, end=END, **fields):
    agreement = services.agreement_save(
        actor=actor,
        agreement=FrameworkAgreement(),
        title=title,
        period_start=start,
        period_end=end,
        prepared_at=borgmesterforum_preparation(),
        introduction="Aftalen mellem parterne.",
        **fields,
    )
    services.theme_save(
        actor=actor,
        theme=Theme(agreement=agreement),
        position=1,
        title="Tryghed og trivsel",
        goals="Flere trygge boligområder.",
        priorities="Indsats i udsatte områder.",
    )
    return agreement


def negotiate(actor, agreement, meeting):
    return services.agreement_mark_negotiated(actor=actor, agreement=agreement, meeting=meeting)


def approve_br(actor, agreement, day=date(2026, 12, 1)):
    return services.agreement_record_br_approval(
        actor=actor, agreement=agreement, approved_on=day, case_reference="2026-0123"
    )


def approve_housing(actor, agreement, day=date(2026, 12, 15)):
    return services.agreement_record_housing_approval(
        actor=actor, agreement=agreement, approved_on=day
    )


def bring_into_force(
    actor, agreement, meeting, *, br=date(2026, 12, 1), housing=date(2026, 12, 15)
):
    negotiate(actor, agreement, meeting)
    approve_br(actor, agreement, br)
    approve_housing(actor, agreement, housing)
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.IN_FORCE
    return agreement


def stored(agreement) -> dict:
    """Everything a refused step must leave as it was."""
    return {
        "agreement": FrameworkAgreement.objects.filter(pk=agreement.pk).values().get(),
        "themes": list(Theme.objects.order_by("pk").values()),
        "versions": list(AgreementVersion.objects.order_by("pk").values("pk", "number")),
        "outbox": list(OutboxMessage.objects.order_by("pk").values_list("key", flat=True)),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)),
    }


def assert_refused(call, message: str, *, field: str | None = None) -> None:
    from core.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        call()
    if field:
        assert refusal.value.message_dict == {field: [message]}
    else:
        assert refusal.value.messages == [message]


def audit_actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk), action__startswith="agreement.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def pf_meeting(forums):
    return schedule(forums["partnerskabsforum"], day=PF_DAY, now=SCHEDULED_AT)


@pytest.fixture
def bmf_meeting(forums):
    return schedule(forums["borgmesterforum"], day=date(2027, 2, 10), now=SCHEDULED_AT)


@pytest.fixture
def agreement(secretariat_user):
    return new_agreement(secretariat_user)


@pytest.fixture
def mayor(forums):
    """A mayor: a member of Borgmesterforum and so (included) of Partnerskabsforum."""
    person = PersonFactory(name="Borgmester Bech", email="borgmester@example.org")
    MembershipFactory(person=person, forum=forums["borgmesterforum"], seat=seat("borgmesterforum"))
    return person


@pytest.fixture
def second_clerk(secretariat_user):
    return UserFactory(email="sekretaer2@example.org", secretariat=True)


# --- Steps out of order ---------------------------------------------------------------------


@pytest.mark.parametrize("approval", [approve_br, approve_housing])
def test_an_approval_before_the_negotiation_is_refused_and_changes_nothing(
    agreement, secretariat_user, other_member_user, approval
):
    before = stored(agreement)
    assert_refused(
        lambda: approval(secretariat_user, agreement),
        _("Approvals are recorded after the agreement has been negotiated in Partnerskabsforum."),
    )
    assert stored(agreement) == before
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.DRAFT
    assert agreement.br_approved_on is None and agreement.housing_approved_on is None


def test_an_agreement_is_recorded_as_negotiated_only_once(
    agreement, pf_meeting, secretariat_user, forums
):
    negotiate(secretariat_user, agreement, pf_meeting)
    later = schedule(forums["partnerskabsforum"], day=date(2027, 6, 10), now=SCHEDULED_AT)
    before = stored(agreement)
    assert_refused(
        lambda: negotiate(secretariat_user, agreement, later),
        _("Only a draft can be recorded as negotiated."),
    )
    assert stored(agreement) == before
    agreement.refresh_from_db()
    assert agreement.negotiated_at == pf_meeting
    assert audit_actions(agreement).count("agreement.negotiated") == 1


def test_an_agreement_is_negotiated_only_at_a_partnerskabsforum_meeting(
    agreement, bmf_meeting, secretariat_user
):
    before = stored(agreement)
    assert_refused(
        lambda: negotiate(secretariat_user, agreement, bmf_meeting),
        _("The agreement is negotiated at a meeting of Partnerskabsforum."),
        field="meeting",
    )
    assert stored(agreement) == before
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.DRAFT and agreement.negotiated_at is None


@pytest.mark.parametrize("approval", [approve_br, approve_housing])
def test_the_same_approval_cannot_be_recorded_twice(
    agreement, pf_meeting, secretariat_user, other_member_user, approval
):
    negotiate(secretariat_user, agreement, pf_meeting)
    approval(secretariat_user, agreement)
    before = stored(agreement)
    assert_refused(
        lambda: approval(secretariat_user, agreement, date(2027, 2, 1)),
        _("This approval has already been recorded."),
    )
    assert stored(agreement) == before
    assert OutboxMessage.objects.filter(kind="agreement_approval").count() == 1


@pytest.mark.parametrize("negotiated", [False, True], ids=["draft", "negotiated"])
def test_an_adjustment_before_the_agreement_is_in_force_is_refused(
    agreement, pf_meeting, secretariat_user, negotiated
):
    if negotiated:
        negotiate(secretariat_user, agreement, pf_meeting)
        approve_br(secretariat_user, agreement)
    theme = agreement.themes.get()
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Nye prioriteringer.")
    before = stored(agreement)
    assert_refused(
        lambda: services.agreement_adjust(
            actor=secretariat_user,
            agreement=agreement,
            meeting=pf_meeting,
            adopted_on=date(2027, 5, 20),
            decision="Justeres.",
            change_note="Nye prioriteringer.",
        ),
        _("Only an agreement in force can be adjusted."),
    )
    assert stored(agreement) == before
    assert not AgreementVersion.objects.exists()


@pytest.fixture
def in_force(agreement, pf_meeting, secretariat_user):
    return bring_into_force(secretariat_user, agreement, pf_meeting)


def adjust(actor, agreement, meeting, *, change_note="Udvidet til alle udsatte områder."):
    return services.agreement_adjust(
        actor=actor,
        agreement=agreement,
        meeting=meeting,
        adopted_on=date(2027, 5, 20),
        decision="Prioriteringerne justeres.",
        change_note=change_note,
    )


def test_an_adjustment_is_decided_only_at_a_partnerskabsforum_meeting(
    in_force, bmf_meeting, secretariat_user
):
    theme = in_force.themes.get()
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Nye prioriteringer.")
    before = stored(in_force)
    assert_refused(
        lambda: adjust(secretariat_user, in_force, bmf_meeting),
        _("Adjustments are decided by Partnerskabsforum."),
        field="meeting",
    )
    assert stored(in_force) == before
    assert list(in_force.versions.values_list("number", flat=True)) == [1]


def test_an_adjustment_without_changes_to_the_themes_is_refused(
    in_force, pf_meeting, secretariat_user
):
    before = stored(in_force)
    assert_refused(
        lambda: adjust(secretariat_user, in_force, pf_meeting),
        _("The themes have not changed since version %(number)d. Edit them first.") % {"number": 1},
    )
    assert stored(in_force) == before


@pytest.mark.parametrize("note", ["", "   \n "])
def test_an_adjustment_without_a_change_note_is_refused(
    in_force, pf_meeting, secretariat_user, note
):
    theme = in_force.themes.get()
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Nye prioriteringer.")
    before = stored(in_force)
    assert_refused(
        lambda: adjust(secretariat_user, in_force, pf_meeting, change_note=note),
        _("Describe what the adjustment changes."),
        field="change_note",
    )
    assert stored(in_force) == before


def test_a_refused_step_shows_its_reason_on_the_secretariats_page(
    agreement, secretariat_client, other_member_user
):
    before = stored(agreement)
    response = secretariat_client.post(
        f"/sekretariat/hovedaftaler/{agreement.pk}/borgerrepraesentationen/",
        {"approved_on": "2026-12-01", "case_reference": "2026-0123"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/sekretariat/hovedaftaler/{agreement.pk}/", 302)]
    shown = [str(m) for m in response.context["messages"]]
    message = _(
        "Approvals are recorded after the agreement has been negotiated in Partnerskabsforum."
    )
    assert shown == [message]
    assert message in response.content.decode()
    assert stored(agreement) == before


def test_an_adjustment_without_a_change_note_is_refused_on_the_secretariats_page(
    in_force, pf_meeting, secretariat_user, secretariat_client
):
    theme = in_force.themes.get()
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Nye prioriteringer.")
    before = stored(in_force)
    response = secretariat_client.post(
        f"/sekretariat/hovedaftaler/{in_force.pk}/justering/",
        {"meeting": pf_meeting.pk, "adopted_on": "2027-05-20", "decision": "", "change_note": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    assert stored(in_force) == before


# --- Coming into force ------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["br", "housing"])
def test_an_agreement_is_in_force_only_when_both_approvals_are_recorded(
    agreement, pf_meeting, secretariat_user, first
):
    negotiate(secretariat_user, agreement, pf_meeting)
    steps = {"br": approve_br, "housing": approve_housing}
    steps[first](secretariat_user, agreement)
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.NEGOTIATED
    assert agreement.in_force_since is None and not agreement.versions.exists()
    assert "agreement.in_force" not in audit_actions(agreement)

    steps["housing" if first == "br" else "br"](secretariat_user, agreement)
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.IN_FORCE
    assert agreement.br_approved_on == date(2026, 12, 1)
    assert agreement.br_case_reference == "2026-0123"
    assert agreement.housing_approved_on == date(2026, 12, 15)
    # From the later approval or the start of the period, whichever is later.
    assert agreement.in_force_since == START
    version = agreement.versions.get()
    assert (version.number, version.meeting, version.adopted_on) == (1, pf_meeting, START)
    assert version.snapshot["themes"] == [
        {
            "title": "Tryghed og trivsel",
            "goals": "Flere trygge boligområder.",
            "priorities": "Indsats i udsatte områder.",
        }
    ]
    second = "housing" if first == "br" else "br"
    assert audit_actions(agreement)[-3:] == [
        f"agreement.approval_{first}",
        f"agreement.approval_{second}",
        "agreement.in_force",
    ]


def test_an_agreement_approved_after_its_period_started_is_in_force_from_the_later_approval(
    agreement, pf_meeting, secretariat_user
):
    negotiate(secretariat_user, agreement, pf_meeting)
    approve_housing(secretariat_user, agreement, date(2027, 1, 20))
    approve_br(secretariat_user, agreement, date(2027, 2, 3))
    agreement.refresh_from_db()
    assert agreement.in_force_since == date(2027, 2, 3)
    assert agreement.versions.get().adopted_on == date(2027, 2, 3)


def test_an_agreement_overlapping_another_in_force_is_refused(
    in_force, forums, secretariat_user, other_member_user
):
    # It starts before the agreement in force, so it is no successor of it.
    rival = new_agreement(
        secretariat_user,
        title="Hovedaftale 2026–2029",
        start=date(2026, 7, 1),
        end=date(2029, 6, 30),
        period_reason="Overgangsperiode",
    )
    meeting = schedule(forums["partnerskabsforum"], day=date(2027, 6, 3), now=SCHEDULED_AT)
    negotiate(secretariat_user, rival, meeting)
    approve_br(secretariat_user, rival)
    before, before_in_force = stored(rival), stored(in_force)

    assert_refused(
        lambda: approve_housing(secretariat_user, rival),
        _("The period overlaps %(title)s, which is in force.") % {"title": in_force.title},
        field="period_start",
    )
    assert stored(rival) == before and stored(in_force) == before_in_force
    rival.refresh_from_db()
    in_force.refresh_from_db()
    assert rival.status == FrameworkAgreement.Status.NEGOTIATED
    assert rival.housing_approved_on is None and not rival.versions.exists()
    assert in_force.status == FrameworkAgreement.Status.IN_FORCE and in_force.replaced_by is None


def test_a_successor_replaces_its_predecessor_from_the_day_it_comes_into_force(
    in_force, forums, secretariat_user
):
    successor = new_agreement(
        secretariat_user,
        title="Hovedaftale 2030–2034",
        start=date(2030, 7, 1),
        end=date(2034, 6, 30),
    )
    meeting = schedule(forums["partnerskabsforum"], day=date(2027, 6, 3), now=SCHEDULED_AT)
    bring_into_force(
        secretariat_user, successor, meeting, br=date(2030, 5, 4), housing=date(2030, 6, 2)
    )
    in_force.refresh_from_db()
    successor.refresh_from_db()
    assert successor.in_force_since == date(2030, 7, 1)
    assert in_force.status == FrameworkAgreement.Status.REPLACED
    assert in_force.replaced_by == successor
    assert in_force.ended_on == date(2030, 6, 30)
    assert audit_actions(in_force)[-1] == "agreement.replaced"
    assert AuditEntry.objects.get(action="agreement.replaced").data == {"by": successor.pk}


# --- Notifications --------------------------------------------------------------------------


def recipients(kind: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_the_forums_are_told_once_of_each_approval_and_each_version(
    agreement,
    pf_meeting,
    secretariat_user,
    member_user,
    other_member_user,
    mayor,
    forums,
):
    # The mayor sits in Borgmesterforum and, through it, in Partnerskabsforum.
    assert mayor in forum_people(forums["borgmesterforum"])
    assert mayor in forum_people(forums["partnerskabsforum"])
    both = sorted([other_member_user.email, mayor.email])

    negotiate(secretariat_user, agreement, pf_meeting)
    assert recipients("agreement_approval") == []
    approve_br(secretariat_user, agreement)
    assert recipients("agreement_approval") == both
    assert recipients("agreement_version") == []
    approve_housing(secretariat_user, agreement)
    assert recipients("agreement_approval") == sorted(both * 2)
    assert recipients("agreement_version") == both

    theme = agreement.themes.get()
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Alle udsatte områder.")
    version = adjust(secretariat_user, agreement, pf_meeting)
    assert version.number == 2
    assert recipients("agreement_version") == sorted(both * 2)
    assert recipients("agreement_approval") == sorted(both * 2)

    # One row per person and event, about the agreement; none to people outside the forums.
    mayor_rows = OutboxMessage.objects.filter(recipient=mayor.email, kind__startswith="agreement_")
    assert mayor_rows.count() == 4
    assert {m.concerns for m in mayor_rows} == {agreement}
    assert not OutboxMessage.objects.filter(recipient=member_user.email).exists()
    assert not OutboxMessage.objects.filter(
        recipient=secretariat_user.email, kind__startswith="agreement_"
    ).exists()
    assert audit_actions(agreement).count("agreement.adjust") == 1


# --- The sweep: renewal, expiry, sub-agreements ---------------------------------------------


def sweep_at(moment: datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        return sweep_run(now=moment)


def renewal_rows(months: int) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(
            kind="agreement_renewal", key__contains=f":{months}:"
        ).values_list("recipient", flat=True)
    )


def preparation_items():
    return Proposal.objects.filter(title=_("Preparation of the next framework agreement"))


@pytest.fixture
def clerks(secretariat_user, second_clerk) -> list[str]:
    return sorted([secretariat_user.email, second_clerk.email])


def test_renewal_is_reminded_12_and_6_months_before_the_period_ends_once_each(
    in_force, clerks, other_member_user
):
    sweep_at(at_nine(date(2029, 12, 30)))
    assert renewal_rows(12) == [] and renewal_rows(6) == []

    for _run in range(2):
        report = sweep_at(at_nine(date(2029, 12, 31)))
    assert renewal_rows(12) == clerks and renewal_rows(6) == []
    assert report["agreements.services.remind_renewal"] == {"reminders": 0}

    sweep_at(at_nine(date(2030, 6, 29)))
    assert renewal_rows(6) == []
    for _run in range(2):
        sweep_at(at_nine(date(2030, 6, 30)))
    assert renewal_rows(12) == clerks and renewal_rows(6) == clerks

    sweep_at(at_nine(date(2030, 11, 1)))
    assert OutboxMessage.objects.filter(kind="agreement_renewal").count() == 4
    in_force.refresh_from_db()
    assert in_force.renewal_12_sent_for == END and in_force.renewal_6_sent_for == END
    # Only the secretariat is reminded.
    assert not OutboxMessage.objects.filter(
        kind="agreement_renewal", recipient=other_member_user.email
    ).exists()


def test_the_renewal_reminder_catches_up_once_after_the_sweep_was_down(in_force, clerks):
    # The sweep did not run from November 2029 until 15 February 2030.
    sweep_at(at_nine(date(2029, 11, 1)))
    assert renewal_rows(12) == []
    for _run in range(2):
        sweep_at(at_nine(date(2030, 2, 15)))
    assert renewal_rows(12) == clerks and renewal_rows(6) == []
    sweep_at(at_nine(date(2030, 3, 1)))
    assert renewal_rows(12) == clerks


def test_borgmesterforum_gets_the_preparation_item_once_on_its_next_planned_meeting(
    in_force, forums, clerks
):
    bmf = forums["borgmesterforum"]
    planned_at = at_nine(date(2029, 11, 1))
    earlier = schedule(bmf, day=date(2029, 12, 10), now=planned_at)  # before the reminder
    cancelled = schedule(bmf, day=date(2030, 1, 8), now=planned_at)
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    following = schedule(bmf, day=date(2030, 1, 22), now=planned_at)
    later = schedule(bmf, day=date(2030, 3, 4), now=planned_at)
    schedule(forums["partnerskabsforum"], day=date(2030, 5, 14), now=planned_at)

    for _run in range(2):
        sweep_at(at_nine(date(2029, 12, 31)))
    item = preparation_items().get()
    assert item.meeting == following
    assert in_force.title in item.description
    assert item.status == Proposal.Status.SUBMITTED
    assert not earlier.proposals.exists() and not later.proposals.exists()

    # The 6-month reminder adds no second item.
    sweep_at(at_nine(date(2030, 6, 30)))
    assert preparation_items().count() == 1


def test_the_preparation_item_goes_on_the_first_planned_meeting_after_the_sweeps_moment(
    in_force, forums, clerks
):
    """The step acts on its `now` (as `run_deadlines --now` passes it), not on the clock."""
    bmf = forums["borgmesterforum"]
    before = schedule(bmf, day=date(2029, 12, 10), now=SCHEDULED_AT)
    after = schedule(bmf, day=date(2030, 1, 22), now=SCHEDULED_AT)
    services.remind_renewal(now=at_nine(date(2029, 12, 31)))
    assert preparation_items().get().meeting == after
    assert not before.proposals.exists()


def test_an_agreement_expires_after_its_period_ends(in_force, secretariat_user, forums):
    sub = services.sub_agreement_save(
        actor=secretariat_user,
        sub_agreement=SubAgreement(),
        title="Fleksibel udlejning i Tingbjerg",
        theme="Fleksibel udlejning",
        administration=Organisation.objects.get(short_name="TMF"),
        housing_organisation=OrganisationFactory(name="fsb"),
        period_start=date(2027, 3, 1),
        period_end=date(2030, 2, 28),
        status=SubAgreement.Status.SIGNED,
    )
    sweep_at(at_nine(date(2030, 12, 31)))
    in_force.refresh_from_db()
    assert in_force.status == FrameworkAgreement.Status.IN_FORCE and in_force.ended_on is None

    for _run in range(2):
        sweep_at(at_nine(date(2031, 1, 1)))
    in_force.refresh_from_db()
    sub.refresh_from_db()
    assert in_force.status == FrameworkAgreement.Status.EXPIRED
    assert in_force.ended_on == END
    assert sub.status == SubAgreement.Status.EXPIRED
    assert (
        AuditEntry.objects.filter(action="agreement.expired", object_id=str(in_force.pk)).count()
        == 1
    )


@pytest.fixture
def signed_sub(secretariat_user, forums):
    return services.sub_agreement_save(
        actor=secretariat_user,
        sub_agreement=SubAgreement(),
        title="Boligsocial anvisning i Mjølnerparken",
        theme="Boligsocial anvisning",
        administration=Organisation.objects.get(short_name="SOF"),
        housing_organisation=OrganisationFactory(name="Bo-Vita"),
        period_start=date(2027, 1, 1),
        period_end=date(2028, 12, 31),
        status=SubAgreement.Status.SIGNED,
    )


def expiry_rows() -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(kind="sub_agreement_expiry").values_list(
            "recipient", flat=True
        )
    )


def test_the_secretariat_is_reminded_once_three_months_before_a_sub_agreement_ends(
    signed_sub, clerks, secretariat_user
):
    draft = services.sub_agreement_save(
        actor=secretariat_user,
        sub_agreement=SubAgreement(),
        title="Udkast til delaftale",
        theme="Fremtidssikring",
        administration=signed_sub.administration,
        housing_organisation=signed_sub.housing_organisation,
        period_start=date(2027, 1, 1),
        period_end=date(2028, 12, 31),
    )
    sweep_at(at_nine(date(2028, 9, 29)))
    assert expiry_rows() == []

    for _run in range(2):
        sweep_at(at_nine(date(2028, 9, 30)))  # three months before 31 December
    assert expiry_rows() == clerks
    assert {m.concerns for m in OutboxMessage.objects.filter(kind="sub_agreement_expiry")} == {
        signed_sub
    }
    sweep_at(at_nine(date(2028, 11, 15)))
    assert expiry_rows() == clerks
    signed_sub.refresh_from_db()
    assert signed_sub.expiry_reminder_sent_for == date(2028, 12, 31)
    draft.refresh_from_db()
    assert draft.expiry_reminder_sent_for is None


def test_the_sub_agreement_reminder_catches_up_once_after_the_sweep_was_down(signed_sub, clerks):
    sweep_at(at_nine(date(2028, 8, 1)))
    assert expiry_rows() == []
    for _run in range(2):
        sweep_at(at_nine(date(2028, 11, 20)))
    assert expiry_rows() == clerks
