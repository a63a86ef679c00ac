"""Issue 10 §4, the framework agreement's own rules: »Forberede en 4-årig politisk
hovedaftale … og at den fornys hvert 4. år« (Borgmesterforum): four years, another length
only with a recorded reason; a renewal is prepared by Borgmesterforum, enforced in the
service; the agreement Partnerskabsforum negotiated goes out with its minutes; and
Borgmesterforum »indstiller nye indsatsområder herunder konkrete forslag til nye
områdefornyelsesprojekter«: a proposed initiative's trail, proposal to decision."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import translation

from agreements import services
from agreements.models import FrameworkAgreement, Initiative, InitiativeStep, Theme
from core.errors import DomainError
from core.models import AuditEntry
from forums.models import Organisation
from meetings.deadlines import TZ
from meetings.tests.factories import schedule
from minutes import services as minutes_services
from notifications.models import OutboxMessage
from tests.pdf_clients import text_by_pypdf

pytestmark = pytest.mark.django_db

SCHEDULED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
PF_DAY = date(2027, 5, 20)
AFTER_DECISION = datetime(2027, 7, 1, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SCHEDULED_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def danish():
    with translation.override("da"):
        yield


def draft(actor, start=date(2027, 1, 1), end=date(2030, 12, 31), **fields):
    agreement = services.agreement_save(
        actor=actor,
        agreement=FrameworkAgreement(),
        title=f"Hovedaftale {start:%Y}–{end:%Y}",
        period_start=start,
        period_end=end,
        **fields,
    )
    services.theme_save(
        actor=actor, theme=Theme(agreement=agreement), position=1, title="Tryghed og trivsel"
    )
    return agreement


# --- Four years -----------------------------------------------------------------------------


def test_the_framework_agreement_runs_for_four_years(forums, secretariat_user, danish):
    with pytest.raises(DomainError) as refusal:
        draft(secretariat_user, end=date(2029, 12, 31))
    assert refusal.value.message_dict["period_end"] == [
        "Hovedaftalen løber i fire år: fra 1. januar 2027 slutter den 31. december 2030. "
        "Angiv begrundelsen for en anden periode (fx en overgangsperiode)."
    ]
    assert not FrameworkAgreement.objects.exists()
    assert draft(secretariat_user).period_end == date(2030, 12, 31)
    assert services.four_year_end(date(2028, 7, 1)) == date(2032, 6, 30)


def test_another_length_is_accepted_with_a_recorded_reason(forums, secretariat_user):
    agreement = draft(
        secretariat_user,
        end=date(2027, 12, 31),
        period_reason="Overgangsperiode til ny kommunal valgperiode.",
    )
    agreement.refresh_from_db()
    assert agreement.period_end == date(2027, 12, 31)
    assert agreement.period_reason.startswith("Overgangsperiode")


def test_the_agreement_form_shows_the_four_year_rule_at_the_end_date(
    forums, secretariat_client, danish
):
    data = {
        "title": "Hovedaftale 2027–2029",
        "period_start": "2027-01-01",
        "period_end": "2029-12-31",
        "period_reason": "",
        "parties": "BR og BL 1. kreds",
        "introduction": "",
    }
    response = secretariat_client.post("/sekretariat/hovedaftaler/ny/", data)
    assert response.status_code == 200
    assert "fire år" in response.context["form"].errors["period_end"][0]
    assert 'value="Hovedaftale 2027–2029"' in response.content.decode()
    assert not FrameworkAgreement.objects.exists()


# --- Prepared by Borgmesterforum ------------------------------------------------------------


@pytest.fixture
def predecessor(forums):
    return FrameworkAgreement.objects.create(
        title="Hovedaftale 2023–2026",
        period_start=date(2023, 1, 1),
        period_end=date(2026, 12, 31),
        status=FrameworkAgreement.Status.IN_FORCE,
        in_force_since=date(2023, 1, 1),
    )


def test_a_renewal_goes_to_partnerskabsforum_only_once_borgmesterforum_has_prepared_it(
    predecessor, forums, secretariat_user, danish
):
    renewal = draft(secretariat_user)
    pf_meeting = schedule(forums["partnerskabsforum"], day=PF_DAY, now=SCHEDULED_AT)
    with pytest.raises(DomainError) as refusal:
        services.agreement_mark_negotiated(
            actor=secretariat_user, agreement=renewal, meeting=pf_meeting
        )
    assert "forberedes af Borgmesterforum" in refusal.value.messages[0]
    renewal.refresh_from_db()
    assert renewal.status == FrameworkAgreement.Status.DRAFT and renewal.negotiated_at is None

    bf_meeting = schedule(forums["borgmesterforum"], day=date(2027, 3, 3), now=SCHEDULED_AT)
    services.agreement_save(actor=secretariat_user, agreement=renewal, prepared_at=bf_meeting)
    services.agreement_mark_negotiated(
        actor=secretariat_user, agreement=renewal, meeting=pf_meeting
    )
    renewal.refresh_from_db()
    assert renewal.status == FrameworkAgreement.Status.NEGOTIATED
    assert AuditEntry.objects.filter(action="agreement.negotiated").count() == 1


def test_only_a_borgmesterforum_meeting_can_be_named_as_preparing_it(
    predecessor, forums, secretariat_user, danish
):
    renewal = draft(secretariat_user)
    sf_meeting = schedule(forums["samarbejdsforum"], day=date(2027, 3, 10), now=SCHEDULED_AT)
    with pytest.raises(DomainError) as refusal:
        services.agreement_save(actor=secretariat_user, agreement=renewal, prepared_at=sf_meeting)
    assert "Borgmesterforum" in refusal.value.message_dict["prepared_at"][0]
    renewal.refresh_from_db()
    assert renewal.prepared_at is None


def test_partnerskabsforum_negotiates_after_borgmesterforum_prepared_it(
    predecessor, forums, secretariat_user, danish
):
    bf_later = schedule(forums["borgmesterforum"], day=date(2027, 9, 8), now=SCHEDULED_AT)
    renewal = draft(secretariat_user, prepared_at=bf_later)
    pf_meeting = schedule(forums["partnerskabsforum"], day=PF_DAY, now=SCHEDULED_AT)
    with pytest.raises(DomainError) as refusal:
        services.agreement_mark_negotiated(
            actor=secretariat_user, agreement=renewal, meeting=pf_meeting
        )
    assert "8. september 2027" in refusal.value.message_dict["meeting"][0]
    renewal.refresh_from_db()
    assert renewal.status == FrameworkAgreement.Status.DRAFT


# --- With Partnerskabsforum's minutes -------------------------------------------------------


def test_the_negotiated_agreement_goes_out_with_partnerskabsforums_minutes(
    forums,
    secretariat_user,
    other_member_user,
    member_user,
    frozen,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from django.test import Client

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    agreement = draft(secretariat_user)
    meeting = schedule(forums["partnerskabsforum"], day=PF_DAY, now=SCHEDULED_AT)
    services.agreement_mark_negotiated(actor=secretariat_user, agreement=agreement, meeting=meeting)
    frozen.move_to(datetime(2027, 5, 24, 10, 0, tzinfo=TZ))
    with django_capture_on_commit_callbacks(execute=True):
        minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
        minutes_services.minutes_send(actor=secretariat_user, minutes=minutes)

    sent = OutboxMessage.objects.get(kind="minutes_sent", recipient=other_member_user.email)
    files = {a.filename: bytes(a.content) for a in sent.attachments.all()}
    assert set(files) == {"referat-udkast-v1.pdf", "hovedaftale-2027-2030-forhandlet.pdf"}
    text = text_by_pypdf(files["hovedaftale-2027-2030-forhandlet.pdf"])
    assert "Hovedaftale 2027–2030" in text and "Tryghed og trivsel" in text
    url = f"/hovedaftale/{agreement.pk}/forhandlet.pdf"
    assert url in sent.body_text

    pf_member = Client()
    pf_member.force_login(other_member_user)
    page = pf_member.get(f"/moeder/{meeting.pk}/referat/").content.decode()
    assert f'href="{url}"' in page
    pdf = pf_member.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Not public until the agreement or the minutes are; not for another forum's member.
    assert Client().get(url).status_code == 404
    sf_member = Client()
    sf_member.force_login(member_user)
    assert sf_member.get(url).status_code == 404


# --- A proposed area-based initiative's trail -----------------------------------------------


@pytest.fixture
def initiative(forums, secretariat_user):
    return services.initiative_save(
        actor=secretariat_user,
        initiative=Initiative(),
        name="Områdefornyelse Nordvest",
        area="Bispebjerg",
        kind="area_renewal",
        period_start=date(2028, 1, 1),
        responsible=Organisation.objects.get(short_name="TMF"),
    )


def test_a_proposed_initiative_has_its_trail_from_borgmesterforum_to_the_decision(
    initiative, forums, secretariat_user, client, danish, frozen
):
    bf_meeting = schedule(forums["borgmesterforum"], day=date(2027, 3, 3), now=SCHEDULED_AT)
    frozen.move_to(AFTER_DECISION)
    services.initiative_propose(
        actor=secretariat_user, initiative=initiative, meeting=bf_meeting, note="Indstillet."
    )
    with pytest.raises(DomainError):
        services.initiative_propose(
            actor=secretariat_user, initiative=initiative, meeting=bf_meeting
        )
    services.initiative_decide(
        actor=secretariat_user,
        initiative=initiative,
        adopted=True,
        decided_on=date(2027, 6, 17),
        decided_by="Borgerrepræsentationen",
        reference="BR 345/2027",
    )
    steps = list(initiative.steps.values_list("kind", "on"))
    assert steps == [("proposed", date(2027, 3, 3)), ("adopted", date(2027, 6, 17))]
    assert list(initiative.meetings.all()) == [bf_meeting]
    assert [
        e.action for e in AuditEntry.objects.filter(action__startswith="initiative.").order_by("pk")
    ][-2:] == [
        "initiative.propose",
        "initiative.decide",
    ]
    html = client.get(f"/indsatser/{initiative.pk}/").content.decode()
    assert "3. marts 2027: Indstillet af Borgmesterforum på dets møde" in html
    assert "17. juni 2027: Besluttet: vedtaget (Borgerrepræsentationen, BR 345/2027)" in html


def test_only_borgmesterforum_proposes_and_a_decision_follows_a_proposal(
    initiative, forums, secretariat_user, danish, frozen
):
    sf_meeting = schedule(forums["samarbejdsforum"], day=date(2027, 3, 10), now=SCHEDULED_AT)
    bf_meeting = schedule(forums["borgmesterforum"], day=date(2027, 3, 3), now=SCHEDULED_AT)
    frozen.move_to(AFTER_DECISION)
    with pytest.raises(DomainError) as refusal:
        services.initiative_propose(
            actor=secretariat_user, initiative=initiative, meeting=sf_meeting
        )
    assert "Borgmesterforum" in refusal.value.message_dict["meeting"][0]
    with pytest.raises(DomainError):
        services.initiative_decide(
            actor=secretariat_user,
            initiative=initiative,
            adopted=True,
            decided_on=date(2027, 6, 17),
            decided_by="Borgerrepræsentationen",
        )
    services.initiative_propose(actor=secretariat_user, initiative=initiative, meeting=bf_meeting)
    with pytest.raises(DomainError) as early:
        services.initiative_decide(
            actor=secretariat_user,
            initiative=initiative,
            adopted=False,
            decided_on=date(2027, 3, 2),
            decided_by="Borgerrepræsentationen",
        )
    assert "3. marts 2027" in early.value.message_dict["decided_on"][0]
    assert list(initiative.steps.values_list("kind", flat=True)) == [InitiativeStep.Kind.PROPOSED]


def test_a_proposal_at_a_borgmesterforum_meeting_not_yet_held_is_refused_at_the_meeting(
    initiative, forums, secretariat_client, danish
):
    bf_meeting = schedule(forums["borgmesterforum"], day=date(2027, 3, 3), now=SCHEDULED_AT)
    response = secretariat_client.post(
        f"/sekretariat/indsatser/{initiative.pk}/indstillet/",
        {"meeting": bf_meeting.pk, "note": "Indstillet på forhånd."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["meeting"] == [
        "Borgmesterforum har ikke holdt dette møde endnu: registrér indstillingen, når "
        "mødet har fundet sted."
    ]
    assert "Indstillet på forhånd." in response.content.decode()
    assert not initiative.steps.exists()
    assert not AuditEntry.objects.filter(action="initiative.propose").exists()


def test_a_decision_dated_in_the_future_is_refused_at_the_date(
    initiative, forums, secretariat_user, secretariat_client, danish, frozen
):
    bf_meeting = schedule(forums["borgmesterforum"], day=date(2027, 3, 3), now=SCHEDULED_AT)
    frozen.move_to(datetime(2027, 3, 4, 10, 0, tzinfo=TZ))
    services.initiative_propose(actor=secretariat_user, initiative=initiative, meeting=bf_meeting)
    secretariat_client.force_login(secretariat_user)  # the session idled out meanwhile
    response = secretariat_client.post(
        f"/sekretariat/indsatser/{initiative.pk}/beslutning/",
        {
            "adopted": "1",
            "decided_on": "2027-03-05",
            "decided_by": "Borgerrepræsentationen",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decided_on"] == [
        "Beslutningen kan ikke dateres i fremtiden: registrér den, når den er truffet."
    ]
    assert 'value="Borgerrepræsentationen"' in response.content.decode()
    assert list(initiative.steps.values_list("kind", flat=True)) == [InitiativeStep.Kind.PROPOSED]
    assert not AuditEntry.objects.filter(action="initiative.decide").exists()
    # Today is fine.
    services.initiative_decide(
        actor=secretariat_user,
        initiative=initiative,
        adopted=True,
        decided_on=date(2027, 3, 4),
        decided_by="Borgerrepræsentationen",
    )


@pytest.mark.parametrize("approve", [False, True])
def test_the_negotiation_is_refused_at_a_meeting_whose_minutes_are_already_sent(
    approve, forums, secretariat_user, frozen, danish
):
    agreement = draft(secretariat_user)
    meeting = schedule(forums["partnerskabsforum"], day=PF_DAY, now=SCHEDULED_AT)
    frozen.move_to(datetime(2027, 5, 24, 10, 0, tzinfo=TZ))
    minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
    minutes_services.minutes_send(actor=secretariat_user, minutes=minutes)
    if approve:
        frozen.move_to(datetime(2027, 6, 30, 10, 0, tzinfo=TZ))
        assert minutes_services.minutes_approve(
            minutes_id=minutes.pk, now=datetime(2027, 6, 30, 10, 0, tzinfo=TZ)
        )
    with pytest.raises(DomainError) as refusal:
        services.agreement_mark_negotiated(
            actor=secretariat_user, agreement=agreement, meeting=meeting
        )
    assert refusal.value.message_dict["meeting"] == [
        "Den forhandlede aftale sendes ud med mødets referat, og referatet fra dette møde er "
        "allerede sendt: registrér forhandlingen, før referatet sendes."
    ]
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.DRAFT and agreement.negotiated_at is None
    assert not AuditEntry.objects.filter(action="agreement.negotiated").exists()


def test_minutes_sent_before_the_negotiation_was_registered_never_gain_the_agreement(
    forums, secretariat_user, other_member_user, frozen, client
):
    """Data from before the service refused it: the minutes went out, then the negotiation
    was registered. The approved public minutes list nothing and the PDF stays private."""
    from django.test import Client

    from agreements.selectors import negotiated_minutes_extras
    from core.audit import audit_record

    agreement = draft(secretariat_user)
    meeting = schedule(forums["partnerskabsforum"], day=PF_DAY, now=SCHEDULED_AT)
    frozen.move_to(datetime(2027, 5, 24, 10, 0, tzinfo=TZ))
    minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
    minutes_services.minutes_send(actor=secretariat_user, minutes=minutes)
    frozen.move_to(datetime(2027, 5, 25, 10, 0, tzinfo=TZ))
    FrameworkAgreement.objects.filter(pk=agreement.pk).update(
        status=FrameworkAgreement.Status.NEGOTIATED, negotiated_at=meeting
    )
    audit_record(actor=secretariat_user, action="agreement.negotiated", obj=agreement)
    frozen.move_to(datetime(2027, 6, 30, 10, 0, tzinfo=TZ))
    assert minutes_services.minutes_approve(
        minutes_id=minutes.pk, now=datetime(2027, 6, 30, 10, 0, tzinfo=TZ)
    )

    assert negotiated_minutes_extras(meeting) == []
    url = f"/hovedaftale/{agreement.pk}/forhandlet.pdf"
    page = client.get(f"/moeder/{meeting.pk}/referat/").content.decode()
    assert url not in page and "forhandlet (PDF)" not in page
    assert client.get(url).status_code == 404
    pf_member = Client()
    pf_member.force_login(other_member_user)
    assert url not in pf_member.get(f"/moeder/{meeting.pk}/referat/").content.decode()


def test_a_draft_says_prepared_by_borgmesterforum_only_when_the_meeting_is_recorded(
    forums, secretariat_user, secretariat_client, danish
):
    agreement = draft(secretariat_user)
    page = secretariat_client.get(f"/sekretariat/hovedaftaler/{agreement.pk}/").content.decode()
    assert "Udkast" in page and "udarbejdet af Borgmesterforum" not in page
    bf_meeting = schedule(forums["borgmesterforum"], day=date(2027, 3, 3), now=SCHEDULED_AT)
    services.agreement_save(actor=secretariat_user, agreement=agreement, prepared_at=bf_meeting)
    page = secretariat_client.get(f"/sekretariat/hovedaftaler/{agreement.pk}/").content.decode()
    assert "Udkast (udarbejdet af Borgmesterforum)" in page
