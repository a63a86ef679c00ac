"""The framework agreement's life: draft, negotiated, two approvals, in force, adjusted."""

from datetime import date

import pytest
from django.core.management import call_command

from agreements import services
from agreements.models import FrameworkAgreement, Theme
from core.errors import DomainError
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(forums, secretariat_user):
    agreement = services.agreement_save(
        actor=secretariat_user,
        agreement=FrameworkAgreement(),
        title="Hovedaftale 2027–2030",
        period_start=date(2027, 1, 1),
        period_end=date(2030, 12, 31),
        introduction="Aftalen mellem parterne.",
    )
    Theme.objects.create(
        agreement=agreement,
        position=1,
        title="Tryghed og trivsel",
        goals="Flere trygge boligområder.",
        priorities="Indsats i udsatte områder.",
    )
    return agreement


@pytest.fixture
def pf_meeting(forums):
    year = date.today().year + 1
    return schedule(forums["partnerskabsforum"], day=date(year, 5, 20))


def test_an_agreement_comes_into_force_when_both_approvals_are_recorded(
    agreement,
    pf_meeting,
    secretariat_user,
    other_member_user,
    client,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with pytest.raises(DomainError):
        services.agreement_record_br_approval(
            actor=secretariat_user,
            agreement=agreement,
            approved_on=date(2026, 12, 1),
            case_reference="2026-123",
        )
    assert client.get(f"/hovedaftale/{agreement.pk}/").status_code == 404  # a draft is never public
    services.agreement_mark_negotiated(
        actor=secretariat_user, agreement=agreement, meeting=pf_meeting
    )
    services.agreement_record_br_approval(
        actor=secretariat_user,
        agreement=agreement,
        approved_on=date(2026, 12, 1),
        case_reference="2026-123",
    )
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.NEGOTIATED
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_record_housing_approval(
            actor=secretariat_user, agreement=agreement, approved_on=date(2026, 12, 15)
        )
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.IN_FORCE
    assert agreement.in_force_since == date(2027, 1, 1)
    version = agreement.versions.get()
    assert version.number == 1 and version.pdf.name
    assert (
        OutboxMessage.objects.filter(
            kind="agreement_approval", recipient=other_member_user.email
        ).count()
        == 2
    )
    assert (
        OutboxMessage.objects.filter(
            kind="agreement_version", recipient=other_member_user.email
        ).count()
        == 1
    )
    html = client.get("/hovedaftale/").content.decode()
    assert "Tryghed og trivsel" in html and "2026-123" in html

    theme = agreement.themes.get()
    services.theme_save(
        actor=secretariat_user, theme=theme, priorities="Indsats i alle udsatte områder."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_adjust(
            actor=secretariat_user,
            agreement=agreement,
            meeting=pf_meeting,
            adopted_on=date(2027, 5, 20),
            decision="Prioriteringerne justeres.",
            change_note="Udvidet til alle udsatte områder.",
        )
    compare = client.get(f"/hovedaftale/{agreement.pk}/sammenlign/?fra=1&til=2").content.decode()
    assert "<ins>alle </ins>" in compare or "<ins>alle" in compare
    feed = client.get("/hovedaftale/nyheder.atom").content.decode()
    assert "version 2" in feed.lower()
    call_command("run_deadlines", "--now", "2027-06-01T09:00")


def test_the_secretariat_registers_an_initiative_through_the_form(secretariat_client, forums):
    from agreements.models import Initiative
    from core.models import AuditEntry
    from forums.models import Organisation

    tmf = Organisation.objects.get(short_name="TMF")
    data = {
        "name": "Områdefornyelse Sydhavnen",
        "area": "Kongens Enghave",
        "kind": "area_renewal",
        "description": "",
        "period_start": "2026-01-01",
        "period_end": "2025-01-01",
        "status": "active",
        "responsible": tmf.pk,
    }
    refused = secretariat_client.post("/sekretariat/indsatser/ny/", data)
    assert refused.status_code == 200 and refused.context["form"].errors["period_end"]
    assert Initiative.objects.count() == 0
    data["period_end"] = "2030-12-31"
    response = secretariat_client.post("/sekretariat/indsatser/ny/", data)
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and initiative.responsible == tmf
    assert AuditEntry.objects.filter(
        action="initiative.save", object_id=str(initiative.pk)
    ).exists()
    assert "Områdefornyelse Sydhavnen" in secretariat_client.get("/indsatser/").content.decode()


def test_the_preparation_item_waits_for_a_planned_borgmesterforum_meeting(forums, secretariat_user):
    from datetime import datetime, time

    from meetings.deadlines import TZ
    from meetings.models import Proposal

    agreement = FrameworkAgreement.objects.create(
        title="Hovedaftale 2023–2026",
        period_start=date(2023, 1, 1),
        period_end=date(2027, 12, 31),
        status=FrameworkAgreement.Status.IN_FORCE,
        in_force_since=date(2023, 1, 1),
    )
    twelve_months_before = datetime(2027, 1, 5, 9, 0, tzinfo=TZ)
    services.remind_renewal(now=twelve_months_before)
    assert Proposal.objects.count() == 0  # no Borgmesterforum meeting is planned yet

    later = datetime(2027, 2, 1, 9, 0, tzinfo=TZ)
    meeting = services.Meeting.objects.create(
        forum=forums["borgmesterforum"],
        starts_at=datetime.combine(date(2027, 3, 10), time(14), tzinfo=TZ),
        ends_at=datetime.combine(date(2027, 3, 10), time(16), tzinfo=TZ),
        place="Rådhuset",
    )
    services.remind_renewal(now=later)
    services.remind_renewal(now=later)
    suggested = Proposal.objects.get()
    assert suggested.meeting == meeting and agreement.title in suggested.description


def test_an_adjustment_cannot_be_dated_before_the_version_in_force(
    agreement, pf_meeting, secretariat_user
):
    agreement.status, agreement.in_force_since = (
        FrameworkAgreement.Status.IN_FORCE,
        date(2027, 1, 1),
    )
    agreement.save()
    theme = agreement.themes.get()
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Nye prioriteringer.")
    with pytest.raises(DomainError) as exc:
        services.agreement_adjust(
            actor=secretariat_user,
            agreement=agreement,
            meeting=pf_meeting,
            adopted_on=date(2026, 12, 1),
            decision="",
            change_note="Ændret.",
        )
    assert "adopted_on" in exc.value.message_dict
    assert agreement.versions.count() == 0
