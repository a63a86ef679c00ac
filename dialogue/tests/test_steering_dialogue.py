"""Issue 10 §2: the annual steering dialogue. Partnerskabsforum discusses »i hvilke
geografiske områder/kvarterer der er behov for at afholde fælles styringsdialogmøder«;
Samarbejdsforum coordinates »den årlige styringsdialog på områdeniveau«."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.due import due_items
from core.models import AuditEntry
from dialogue import selectors, services
from dialogue.models import DialogueArea, DialogueFollowUp, DialogueRound, Estate
from forums.models import Organisation
from forums.tests.factories import OrganisationFactory, PersonFactory, UserFactory
from meetings.deadlines import TZ
from meetings.models import Meeting, Proposal
from meetings.tests.factories import schedule

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pf_meeting(forums):
    # Held before NOW, in the year before the round's: it can have chosen the 2027 areas.
    return schedule(
        forums["partnerskabsforum"], day=date(2026, 5, 12), now=datetime(2026, 1, 5, tzinfo=TZ)
    )


@pytest.fixture
def fsb():
    return OrganisationFactory(name="fsb", short_name="fsb")


@pytest.fixture
def dialogue_round(secretariat_user):
    return services.round_create(actor=secretariat_user, year=2027)


@pytest.fixture
def area(secretariat_user, dialogue_round, pf_meeting, fsb):
    estate = Estate.objects.create(organisation=fsb, name="Mjølnerparken", number="5")
    return services.area_add(
        actor=secretariat_user,
        dialogue_round=dialogue_round,
        name="Nørrebro",
        chosen_at=pf_meeting,
        organisations=[fsb],
        estates=[estate],
    )


@pytest.fixture
def dialogue_meeting(secretariat_user, area):
    return services.meeting_add(
        actor=secretariat_user,
        area=area,
        held_on=date(2027, 2, 3),
        place="Beboerhuset",
        participants=[PersonFactory(name="Bo Boligsen")],
        documents="Styringsrapport 2026, j.nr. 2027-0001\nDialognotat",
    )


def _held_dialogue_meeting(actor, area):
    """A dialogue meeting already held (before NOW): its follow-ups can be overdue."""
    return services.meeting_add(actor=actor, area=area, held_on=date(2027, 1, 4), place="Rådhuset")


def da_errors(call) -> dict:
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        call()
    return (
        caught.value.message_dict
        if hasattr(caught.value, "error_dict")
        else {"__all__": caught.value.messages}
    )


# --- Areas, chosen by Partnerskabsforum ---------------------------------------------------


def test_the_areas_are_chosen_by_a_partnerskabsforum_meeting_not_another_forums(
    forums, secretariat_user, dialogue_round, fsb
):
    sf_meeting = schedule(forums["samarbejdsforum"], day=date(2027, 3, 1))
    errors = da_errors(
        lambda: services.area_add(
            actor=secretariat_user,
            dialogue_round=dialogue_round,
            name="Nørrebro",
            chosen_at=sf_meeting,
            organisations=[fsb],
        )
    )
    assert errors["chosen_at"] == [
        f"Områderne vælges af Partnerskabsforum; »{sf_meeting}« er et møde i Samarbejdsforum."
    ]
    assert not DialogueArea.objects.exists()
    assert not AuditEntry.objects.filter(action="dialogue.area_add").exists()


def test_an_area_chosen_by_partnerskabsforum_names_its_housing_organisations_and_estates(
    area, pf_meeting, fsb
):
    stored = DialogueArea.objects.get(pk=area.pk)
    assert stored.chosen_at == pf_meeting
    assert list(stored.organisations.all()) == [fsb]
    assert [e.name for e in stored.estates.all()] == ["Mjølnerparken"]
    assert AuditEntry.objects.filter(action="dialogue.area_add", object_id=str(area.pk)).exists()


def test_an_areas_estates_belong_to_its_housing_organisations(
    secretariat_user, dialogue_round, pf_meeting, fsb
):
    other = OrganisationFactory(name="AKB", short_name="AKB")
    estate = Estate.objects.create(organisation=other, name="Tingbjerg")
    errors = da_errors(
        lambda: services.area_add(
            actor=secretariat_user,
            dialogue_round=dialogue_round,
            name="Brønshøj",
            chosen_at=pf_meeting,
            organisations=[fsb],
            estates=[estate],
        )
    )
    assert "Tingbjerg, AKB" in errors["estates"][0]
    assert not DialogueArea.objects.exists()


def test_an_areas_organisations_are_housing_organisations(
    secretariat_user, dialogue_round, pf_meeting
):
    tmf = Organisation.objects.get(short_name="TMF")
    errors = da_errors(
        lambda: services.area_add(
            actor=secretariat_user,
            dialogue_round=dialogue_round,
            name="Nørrebro",
            chosen_at=pf_meeting,
            organisations=[tmf],
        )
    )
    assert errors["organisations"] == ["Ikke en boligorganisation: TMF."]


# --- Dialogue meetings and their follow-ups ------------------------------------------------


def test_a_dialogue_meeting_keeps_its_date_participants_and_documents(dialogue_meeting):
    assert dialogue_meeting.held_on == date(2027, 2, 3)
    assert [p.name for p in dialogue_meeting.participants.all()] == ["Bo Boligsen"]
    assert dialogue_meeting.document_list == [
        "Styringsrapport 2026, j.nr. 2027-0001",
        "Dialognotat",
    ]
    assert AuditEntry.objects.filter(action="dialogue.meeting_add").count() == 1


def test_a_dialogue_meeting_lies_in_its_rounds_year(secretariat_user, area):
    errors = da_errors(
        lambda: services.meeting_add(actor=secretariat_user, area=area, held_on=date(2028, 1, 5))
    )
    assert errors["held_on"] == ["Datoen skal ligge i 2027, rundens år."]
    assert not area.meetings.exists()


@pytest.mark.parametrize("short_name", ["TMF", "fsb"])
def test_agreed_follow_ups_are_assigned_to_an_administration_or_a_housing_organisation(
    secretariat_user, dialogue_meeting, short_name
):
    responsible = Organisation.objects.get(short_name=short_name)
    follow_up = services.follow_up_add(
        actor=secretariat_user,
        meeting=dialogue_meeting,
        what="Udarbejde tryghedsplan",
        responsible=responsible,
        due_on=date(2027, 4, 1),
    )
    assert DialogueFollowUp.objects.get(pk=follow_up.pk).responsible == responsible
    assert AuditEntry.objects.filter(action="dialogue.follow_up_add").count() == 1


def test_a_follow_up_is_not_assigned_to_a_political_body(secretariat_user, dialogue_meeting):
    errors = da_errors(
        lambda: services.follow_up_add(
            actor=secretariat_user,
            meeting=dialogue_meeting,
            what="Noget",
            responsible=Organisation.objects.get(short_name="BR"),
        )
    )
    assert errors["responsible"] == [
        "En opfølgning placeres hos en forvaltning eller en boligorganisation."
    ]
    assert not DialogueFollowUp.objects.exists()


def test_a_person_of_the_responsible_housing_organisation_updates_its_follow_up_others_cannot(
    secretariat_user, dialogue_meeting, fsb
):
    follow_up = services.follow_up_add(
        actor=secretariat_user, meeting=dialogue_meeting, what="Tryghedsplan", responsible=fsb
    )
    outsider = UserFactory()
    PersonFactory(user=outsider, organisation=Organisation.objects.get(short_name="TMF"))
    errors = da_errors(
        lambda: services.follow_up_set_status(actor=outsider, follow_up=follow_up, status="done")
    )
    assert errors["__all__"] == [
        "Kun den ansvarlige organisation eller sekretariatet kan opdatere denne opfølgning."
    ]
    insider = UserFactory()
    PersonFactory(user=insider, organisation=fsb)
    services.follow_up_set_status(actor=insider, follow_up=follow_up, status="done")
    assert DialogueFollowUp.objects.get(pk=follow_up.pk).status == "done"
    entry = AuditEntry.objects.get(action="dialogue.follow_up_status")
    assert entry.actor == insider


# --- Raised to Styregruppen ------------------------------------------------------------------


def test_an_issue_raised_in_a_dialogue_becomes_a_proposal_for_styregruppens_next_open_meeting(
    forums, secretariat_user, dialogue_meeting
):
    styregruppen = forums["tvaerkommunal-styregruppe"]
    closed = schedule(styregruppen, day=date(2027, 2, 1))
    Meeting.objects.filter(pk=closed.pk).update(status=Meeting.Status.AGENDA_SENT)
    past_deadline = schedule(styregruppen, day=date(2027, 2, 15))  # as if it had a deadline
    Meeting.objects.filter(pk=past_deadline.pk).update(
        proposals_close_at=datetime(2027, 1, 10, tzinfo=TZ)
    )
    later = schedule(styregruppen, day=date(2027, 3, 1))
    schedule(styregruppen, day=date(2027, 4, 5))
    issue = services.issue_raise(
        actor=secretariat_user,
        meeting=dialogue_meeting,
        title="Fælles udlejningsregler",
        description="Boligorganisationen ønsker fælles regler.",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    proposal = Proposal.objects.get()
    assert issue.proposal == proposal
    assert proposal.meeting == later
    assert proposal.title == "Fælles udlejningsregler"
    assert "Nørrebro" in proposal.description and "03.02.2027" in proposal.description
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"proposal.submit", "dialogue.issue_raise"} <= actions


def test_an_issue_is_refused_when_styregruppen_has_no_meeting_that_takes_proposals(
    secretariat_user, dialogue_meeting
):
    errors = da_errors(
        lambda: services.issue_raise(
            actor=secretariat_user, meeting=dialogue_meeting, title="X", description="Y"
        )
    )
    assert "Den Tværkommunale Styregruppe har intet kommende møde" in errors["__all__"][0]
    assert not Proposal.objects.exists()
    assert not dialogue_meeting.issues.exists()


# --- The year's round ------------------------------------------------------------------------


def test_the_round_moves_one_step_at_a_time_and_only_when_ready(
    secretariat_user, dialogue_round, pf_meeting
):
    errors = da_errors(
        lambda: services.round_advance(
            actor=secretariat_user, dialogue_round=dialogue_round, status="areas_chosen"
        )
    )
    assert errors["__all__"] == ["Tilføj først de områder, Partnerskabsforum har valgt."]
    area = services.area_add(
        actor=secretariat_user, dialogue_round=dialogue_round, name="Valby", chosen_at=pf_meeting
    )
    errors = da_errors(
        lambda: services.round_advance(
            actor=secretariat_user, dialogue_round=dialogue_round, status="closed"
        )
    )
    assert "næste trin" in errors["__all__"][0]
    services.round_advance(
        actor=secretariat_user, dialogue_round=dialogue_round, status="areas_chosen"
    )
    services.meeting_add(actor=secretariat_user, area=area, held_on=date(2027, 3, 1))
    errors = da_errors(
        lambda: services.round_advance(
            actor=secretariat_user, dialogue_round=dialogue_round, status="meetings_held"
        )
    )
    assert errors["__all__"] == ["Der er endnu ikke holdt et dialogmøde i: Valby."]
    services.round_advance(
        actor=secretariat_user,
        dialogue_round=dialogue_round,
        status="meetings_held",
        today=date(2027, 3, 1),
    )
    assert DialogueRound.objects.get(pk=dialogue_round.pk).status == "meetings_held"
    assert list(
        AuditEntry.objects.filter(action="dialogue.round_status")
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [
        {"from": "planning", "to": "areas_chosen"},
        {"from": "areas_chosen", "to": "meetings_held"},
    ]


def test_year_round_gives_the_year_wheel_plain_data(dialogue_meeting, pf_meeting):
    with translation.override("da"):
        data = selectors.year_round(2027)
    assert data == {
        "year": 2027,
        "status": "planning",
        "status_label": "Planlægning",
        "url": "/sekretariat/styringsdialog/2027/",
        "areas": [
            {
                "name": "Nørrebro",
                "chosen_on": date(2026, 5, 12),
                "organisations": ["fsb"],
                "meetings": [date(2027, 2, 3)],
            }
        ],
        "meetings": [date(2027, 2, 3)],
        "follow_ups_open": 0,
    }
    assert selectors.year_round(2026) is None


def test_the_years_round_shows_in_the_year_wheel_page_and_pdf(
    client, secretariat_user, dialogue_meeting, pf_meeting
):
    from meetings.yearwheel import year_wheel

    wheel = year_wheel(2027)
    assert [section["round"]["year"] for section in wheel.sections] == [2027]
    assert year_wheel(2026).sections == []  # a year without a round has no section
    client.force_login(secretariat_user)
    page = client.get("/sekretariat/aarshjul/2027/").content.decode()
    assert "Styringsdialogen 2027" in page
    assert "Nørrebro" in page
    # The public year wheel never shows the secretariat's dialogue.
    public = client.get("/aarshjul/2027/").content.decode()
    assert "Nørrebro" not in public and "Styringsdialogen" not in public


def test_the_cockpit_lists_dialogue_meetings_coming_and_follow_ups_overdue(
    secretariat_user, dialogue_meeting, fsb
):
    earlier = _held_dialogue_meeting(secretariat_user, dialogue_meeting.area)
    services.follow_up_add(
        actor=secretariat_user,
        meeting=earlier,
        what="Tryghedsplan",
        responsible=fsb,
        due_on=date(2027, 1, 8),
    )
    done = services.follow_up_add(
        actor=secretariat_user,
        meeting=earlier,
        what="Allerede gjort",
        responsible=fsb,
        due_on=date(2027, 1, 5),
    )
    services.follow_up_set_status(actor=secretariat_user, follow_up=done, status="done")
    items = [
        i
        for i in due_items(now=NOW, until=datetime(2027, 2, 28, tzinfo=TZ))
        if i.kind.startswith("dialogue")
    ]
    assert [(i.kind, i.due.date(), i.overdue(NOW)) for i in items] == [
        ("dialogue_follow_up", date(2027, 1, 8), True),
        ("dialogue_meeting", date(2027, 2, 3), False),
    ]
    assert items[0].url == "/sekretariat/styringsdialog/2027/"
    later = due_items(now=NOW, until=datetime(2027, 1, 31, tzinfo=TZ))
    assert [i.kind for i in later if i.kind.startswith("dialogue")] == ["dialogue_follow_up"]


# --- The secretariat's pages -----------------------------------------------------------------


def test_the_secretariat_sees_the_years_round_with_its_areas_meetings_and_follow_ups(
    secretariat_client, dialogue_meeting, secretariat_user, fsb
):
    services.follow_up_add(
        actor=secretariat_user, meeting=dialogue_meeting, what="Tryghedsplan", responsible=fsb
    )
    page = secretariat_client.get("/sekretariat/styringsdialog/2027/").content.decode()
    for text in ["Nørrebro", "Mjølnerparken", "Beboerhuset", "Dialognotat", "Tryghedsplan"]:
        assert text in page


def test_members_and_visitors_cannot_open_the_steering_dialogue_pages(
    member_client, anonymous_client, dialogue_round
):
    assert member_client.get("/sekretariat/styringsdialog/2027/").status_code == 403
    assert anonymous_client.get("/sekretariat/styringsdialog/2027/").status_code == 302
    assert member_client.post("/sekretariat/styringsdialog/", {"year": 2028}).status_code == 403
    assert not DialogueRound.objects.filter(year=2028).exists()


def test_an_area_form_keeps_the_input_and_names_the_refusal_at_the_field(
    secretariat_client, dialogue_round, pf_meeting, fsb
):
    other = OrganisationFactory(name="AKB", short_name="AKB")
    estate = Estate.objects.create(organisation=other, name="Tingbjerg")
    response = secretariat_client.post(
        reverse("dialogue:area_new", kwargs={"year": 2027}),
        {
            "name": "Brønshøj-Husum",
            "chosen_at": pf_meeting.pk,
            "organisations": [fsb.pk],
            "estates": [estate.pk],
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == 200
    assert "Tingbjerg, AKB" in response.context["form"].errors["estates"][0]
    assert "Brønshøj-Husum" in response.content.decode()
    assert not DialogueArea.objects.exists()


def test_opening_a_year_twice_is_refused_at_the_year_field(secretariat_client, dialogue_round):
    response = secretariat_client.post(
        "/sekretariat/styringsdialog/", {"year": 2027}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.context["form"].errors["year"] == ["Styringsdialogen for 2027 findes allerede."]
    assert DialogueRound.objects.count() == 1


def test_a_cancelled_partnerskabsforum_meeting_chose_no_area(
    secretariat_user, dialogue_round, pf_meeting
):
    Meeting.objects.filter(pk=pf_meeting.pk).update(status=Meeting.Status.CANCELLED)
    pf_meeting.refresh_from_db()
    errors = da_errors(
        lambda: services.area_add(
            actor=secretariat_user,
            dialogue_round=dialogue_round,
            name="Valby",
            chosen_at=pf_meeting,
        )
    )
    assert errors["chosen_at"] == [f"Mødet »{pf_meeting}« er aflyst."]
    assert not DialogueArea.objects.exists()


def test_a_closed_round_takes_no_more_areas_or_meetings(secretariat_user, area, pf_meeting):
    DialogueRound.objects.filter(pk=area.round_id).update(status="closed")
    area.round.refresh_from_db()
    for call in (
        lambda: services.area_add(
            actor=secretariat_user, dialogue_round=area.round, name="Valby", chosen_at=pf_meeting
        ),
        lambda: services.meeting_add(actor=secretariat_user, area=area, held_on=date(2027, 6, 1)),
    ):
        assert da_errors(call)["__all__"] == ["Styringsdialogen for 2027 er afsluttet."]
    assert DialogueArea.objects.count() == 1 and not area.meetings.exists()


def test_an_estate_belongs_to_a_housing_organisation(secretariat_user, fsb):
    errors = da_errors(
        lambda: services.estate_save(
            actor=secretariat_user,
            estate=Estate(),
            organisation=Organisation.objects.get(short_name="LLO"),
            name="Afdeling 1",
        )
    )
    assert errors["organisation"] == ["En afdeling hører til en boligorganisation."]
    estate = services.estate_save(
        actor=secretariat_user, estate=Estate(), organisation=fsb, name="Mjølnerparken", number="5"
    )
    assert str(Estate.objects.get(pk=estate.pk)) == "Mjølnerparken (5), fsb"
    assert AuditEntry.objects.filter(action="dialogue.estate_create").count() == 1


def test_the_steering_dialogue_page_lists_what_is_due_overdue_first(
    secretariat_client, secretariat_user, dialogue_meeting, fsb
):
    services.follow_up_add(
        actor=secretariat_user,
        meeting=_held_dialogue_meeting(secretariat_user, dialogue_meeting.area),
        what="Tryghedsplan for afdelingen",
        responsible=fsb,
        due_on=date(2027, 1, 8),
    )
    page = secretariat_client.get("/sekretariat/styringsdialog/", HTTP_ACCEPT_LANGUAGE="da")
    html = page.content.decode()
    due = html[html.index('id="due-heading"') : html.index("Runder</h2>")]
    assert due.index("Tryghedsplan for afdelingen") < due.index("Beboerhuset")
    assert "8. januar 2027" in due and "Overskredet" in due


def _archive_entry(forum, day):
    from meetings.services import meeting_schedule

    start = datetime(day.year, day.month, day.day, 14, tzinfo=TZ)
    return meeting_schedule(
        actor=None, forum=forum, starts_at=start, ends_at=start.replace(hour=16), is_archive=True
    )


def _add_area(actor, dialogue_round, chosen_at):
    return lambda: services.area_add(
        actor=actor, dialogue_round=dialogue_round, name="Valby", chosen_at=chosen_at
    )


def test_an_area_is_chosen_at_a_held_meeting_of_the_rounds_year_or_the_year_before(
    secretariat_user, dialogue_round, forums, pf_meeting
):
    pf = forums["partnerskabsforum"]
    too_old = _archive_entry(pf, date(2010, 9, 1))
    not_held = schedule(pf, day=date(2027, 5, 20))
    old_errors = da_errors(_add_area(secretariat_user, dialogue_round, too_old))
    assert "2026 eller 2027" in old_errors["chosen_at"][0]
    future_errors = da_errors(_add_area(secretariat_user, dialogue_round, not_held))
    assert "er ikke holdt endnu" in future_errors["chosen_at"][0]
    assert not DialogueArea.objects.exists()
    assert list(services.choosing_meetings(2027)) == [pf_meeting]


def test_the_area_form_offers_only_meetings_that_can_have_chosen_the_area(
    secretariat_client, dialogue_round, forums, pf_meeting
):
    pf = forums["partnerskabsforum"]
    too_old, not_held = _archive_entry(pf, date(2010, 9, 1)), schedule(pf, day=date(2027, 5, 20))
    response = secretariat_client.get(reverse("dialogue:area_new", kwargs={"year": 2027}))
    offered = list(response.context["form"].fields["chosen_at"].queryset)
    assert offered == [pf_meeting]
    assert too_old not in offered and not_held not in offered


def test_a_dialogue_meeting_is_not_dated_before_its_area_was_chosen(secretariat_client, area):
    DialogueRound.objects.filter(pk=area.round_id).update(year=2026)
    response = secretariat_client.post(
        reverse("dialogue:meeting_new", kwargs={"year": 2026}),
        {"area": area.pk, "held_on": "2026-05-11", "place": "Beboerhuset"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert "12.05.2026" in response.context["form"].errors["held_on"][0]
    assert "Beboerhuset" in response.content.decode()
    assert not area.meetings.exists()


def test_a_follow_up_is_not_due_before_its_dialogue_meeting(secretariat_user, dialogue_meeting):
    administration = OrganisationFactory(kind=Organisation.Kind.ADMINISTRATION)
    errors = da_errors(
        lambda: services.follow_up_add(
            actor=secretariat_user,
            meeting=dialogue_meeting,
            what="Tjek",
            responsible=administration,
            due_on=date(2027, 2, 2),
        )
    )
    assert "03.02.2027" in errors["due_on"][0]
    assert not DialogueFollowUp.objects.exists()


def test_the_same_dialogue_meeting_posted_twice_is_stored_once(secretariat_client, area):
    data = {"area": area.pk, "held_on": "2027-02-03", "place": "Beboerhuset"}
    url = reverse("dialogue:meeting_new", kwargs={"year": 2027})
    assert secretariat_client.post(url, data).status_code == 302
    response = secretariat_client.post(url, data, HTTP_ACCEPT_LANGUAGE="da")
    assert "allerede gemt" in response.context["form"].errors["held_on"][0]
    assert area.meetings.count() == 1
    assert AuditEntry.objects.filter(action="dialogue.meeting_add").count() == 1
