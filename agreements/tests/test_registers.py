"""The sub-agreement register and the initiative register: their filters, who sees what,
the secretariat's form (documents kept privately, wrong files and periods refused at the
field), an initiative's meetings and decisions; and the standing agenda items of
Borgmesterforum and Partnerskabsforum that point to the registers and the agreement."""

import re
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from agreements import services
from agreements.models import FrameworkAgreement, Initiative, SubAgreement, SubAgreementDocument
from agreements.models import Theme as AgreementTheme
from core.models import AuditEntry
from forums.models import Organisation
from forums.tests.factories import OrganisationFactory
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.models import AgendaItem
from meetings.tests.factories import at, schedule
from minutes.models import Minutes, MinutesItem

pytestmark = pytest.mark.django_db

SCHEDULED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INITIATIVES_ITEM = "Områdefornyelse og andre områdebaserede indsatser"


def text_of(response) -> str:
    return unescape(response.content.decode())


def row_of(html: str, title: str) -> str:
    """The table row that names `title`."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if f">{title}</a>" in row]
    assert len(rows) == 1, f"{title!r} is in {len(rows)} rows"
    return rows[0]


INTERNAL_BADGE = '<span class="badge text-bg-secondary">{}</span>'


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def orgs(forums):
    return {
        "TMF": Organisation.objects.get(short_name="TMF"),
        "SOF": Organisation.objects.get(short_name="SOF"),
        "fsb": OrganisationFactory(name="fsb", short_name="fsb"),
        "AAB": OrganisationFactory(name="AAB", short_name="AAB"),
    }


@pytest.fixture
def goal(secretariat_user):
    agreement = services.agreement_save(
        actor=secretariat_user,
        agreement=FrameworkAgreement(),
        title="Hovedaftale 2027–2030",
        period_start=date(2027, 1, 1),
        period_end=date(2030, 12, 31),
    )
    return services.theme_save(
        actor=secretariat_user,
        theme=AgreementTheme(agreement=agreement),
        position=1,
        title="Tryghed og trivsel",
        goals="Flere trygge boligområder.",
    )


@pytest.fixture
def register(secretariat_user, orgs, goal):
    def make(title, theme, administration, housing, status, published, goals=()):
        return services.sub_agreement_save(
            actor=secretariat_user,
            sub_agreement=SubAgreement(),
            goals=list(goals),
            title=title,
            theme=theme,
            administration=orgs[administration],
            housing_organisation=orgs[housing],
            period_start=date(2027, 1, 1),
            period_end=date(2029, 12, 31),
            status=status,
            is_published=published,
        )

    S = SubAgreement.Status
    return {
        "flex_tmf": make(
            "Fleksibel udlejning, fsb", "Fleksibel udlejning", "TMF", "fsb", S.SIGNED, True, [goal]
        ),
        "anvisning": make(
            "Boligsocial anvisning, AAB", "Boligsocial anvisning", "SOF", "AAB", S.NEGOTIATING, True
        ),
        "internal": make("Fremtidssikring, AAB", "Fremtidssikring", "TMF", "AAB", S.DRAFT, False),
        "flex_sof": make(
            "Fleksibel udlejning, fsb (udløbet)",
            "Fleksibel udlejning",
            "SOF",
            "fsb",
            S.EXPIRED,
            True,
        ),
    }


def listed(client, **query) -> set[str]:
    response = client.get("/delaftaler/", query)
    assert response.status_code == 200
    titles = {s.title for s in response.context["sub_agreements"]}
    html = text_of(response)
    for sub in SubAgreement.objects.all():
        assert (f">{sub.title}</a>" in html) == (sub.title in titles), sub.title
    return titles


def titles(register, *keys) -> set[str]:
    return {register[k].title for k in keys}


def test_the_sub_agreement_register_filters_by_theme_administration_housing_organisation_and_status(
    register, orgs, anonymous_client
):
    c = anonymous_client
    assert listed(c) == titles(register, "flex_tmf", "anvisning", "flex_sof")
    assert listed(c, theme="fleksibel") == titles(register, "flex_tmf", "flex_sof")
    # The theme also finds the goals of the framework agreement it makes concrete.
    assert listed(c, theme="tryghed") == titles(register, "flex_tmf")
    assert listed(c, administration=orgs["TMF"].pk) == titles(register, "flex_tmf")
    assert listed(c, housing_organisation=orgs["AAB"].pk) == titles(register, "anvisning")
    assert listed(c, status="expired") == titles(register, "flex_sof")
    assert listed(c, theme="fleksibel", administration=orgs["SOF"].pk) == titles(
        register, "flex_sof"
    )
    assert listed(c, status="draft") == set()


def test_the_secretariat_sees_every_sub_agreement_with_the_internal_ones_marked(
    register, orgs, secretariat_client, member_client
):
    assert listed(member_client, administration=orgs["TMF"].pk) == titles(register, "flex_tmf")
    assert listed(secretariat_client, administration=orgs["TMF"].pk) == titles(
        register, "flex_tmf", "internal"
    )
    assert listed(secretariat_client, status="draft") == titles(register, "internal")
    html = text_of(secretariat_client.get("/delaftaler/"))
    badge = INTERNAL_BADGE.format(_("internal"))
    assert badge in row_of(html, register["internal"].title)
    assert badge not in row_of(html, register["flex_tmf"].title)
    assert 'href="/sekretariat/delaftaler/ny/"' in html
    assert badge not in text_of(member_client.get("/delaftaler/"))


@pytest.fixture
def sf_meeting(forums):
    return schedule(forums["samarbejdsforum"], day=date(2027, 3, 9), now=SCHEDULED_AT)


def form_data(orgs, goal, sf_meeting, **changes) -> dict:
    data = {
        "title": "Fleksibel udlejning i Tingbjerg",
        "theme": "Fleksibel udlejning",
        "goals": [goal.pk],
        "administration": orgs["TMF"].pk,
        "housing_organisation": orgs["fsb"].pk,
        "summary": "Rammer for fleksibel udlejning.",
        "period_start": "2027-01-01",
        "period_end": "2029-12-31",
        "status": "signed",
        "prepared_at": [sf_meeting.pk],
        "is_published": "on",
    }
    data.update(changes)
    return data


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_sub_agreement_made_through_the_secretariats_form_keeps_its_document_privately(
    orgs, goal, sf_meeting, private_media, secretariat_user, secretariat_client, anonymous_client
):
    upload = SimpleUploadedFile("Delaftale Tingbjerg.pdf", PDF, content_type="application/pdf")
    response = secretariat_client.post(
        "/sekretariat/delaftaler/ny/", form_data(orgs, goal, sf_meeting, files=[upload])
    )
    sub = SubAgreement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/delaftaler/{sub.pk}/"
    assert (sub.title, sub.theme, sub.status, sub.is_published) == (
        "Fleksibel udlejning i Tingbjerg",
        "Fleksibel udlejning",
        SubAgreement.Status.SIGNED,
        True,
    )
    assert (sub.administration, sub.housing_organisation) == (orgs["TMF"], orgs["fsb"])
    assert (sub.period_start, sub.period_end) == (date(2027, 1, 1), date(2029, 12, 31))
    assert list(sub.goals.all()) == [goal] and list(sub.prepared_at.all()) == [sf_meeting]

    document = sub.documents.get()
    assert document.name.endswith(".pdf") and "Tingbjerg" in document.name
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    path = Path(document.file.path)
    assert path.is_relative_to(private_media) and path.read_bytes() == PDF
    assert stored_files(private_media) == [path]
    for public_root in (django_settings.MEDIA_ROOT, django_settings.STATIC_ROOT):
        assert not path.is_relative_to(Path(public_root))
    entry = AuditEntry.objects.get(action="sub_agreement.save")
    assert (entry.actor, entry.object_id) == (secretariat_user, str(sub.pk))
    # Served only through the view that checks the sub-agreement is published.
    download = anonymous_client.get(f"/delaftaler/dokumenter/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03 not a document", b"<html><script>alert(1)</script></html>"],
    ids=["executable", "html"],
)
def test_a_document_of_the_wrong_type_is_refused_at_the_field_and_nothing_is_saved(
    orgs, goal, sf_meeting, private_media, secretariat_client, content
):
    upload = SimpleUploadedFile("delaftale.pdf", content, content_type="application/pdf")
    response = secretariat_client.post(
        "/sekretariat/delaftaler/ny/", form_data(orgs, goal, sf_meeting, files=[upload])
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["files"]
    assert "delaftale.pdf" in form.errors["files"][0]
    assert not SubAgreement.objects.exists() and not SubAgreementDocument.objects.exists()
    assert stored_files(private_media) == []
    assert not AuditEntry.objects.filter(action="sub_agreement.save").exists()


def test_a_period_ending_before_it_starts_is_refused_at_the_field(
    orgs, goal, sf_meeting, private_media, secretariat_client
):
    upload = SimpleUploadedFile("delaftale.pdf", PDF, content_type="application/pdf")
    response = secretariat_client.post(
        "/sekretariat/delaftaler/ny/",
        form_data(orgs, goal, sf_meeting, period_end="2026-12-31", files=[upload]),
    )
    assert response.status_code == 200
    message = _("The period must end after it starts.")
    assert response.context["form"].errors == {"period_end": [message]}
    field = re.search(r"<input[^>]*name=\"period_end\"[^>]*>", response.content.decode()).group()
    assert "is-invalid" in field
    assert message in text_of(response)
    assert not SubAgreement.objects.exists() and stored_files(private_media) == []
    assert not AuditEntry.objects.filter(action="sub_agreement.save").exists()


# --- Initiatives ------------------------------------------------------------------------------


@pytest.fixture
def initiatives(orgs):
    def make(name, kind, status):
        return Initiative.objects.create(
            name=name,
            area=name.split()[-1],
            kind=kind,
            status=status,
            period_start=date(2025, 1, 1),
            period_end=date(2029, 12, 31),
            responsible=orgs["TMF"],
        )

    K, S = Initiative.Kind, Initiative.Status
    return {
        "renewal_active": make("Områdefornyelse Tingbjerg", K.AREA_RENEWAL, S.ACTIVE),
        "plan_active": make("Helhedsplan Mjølnerparken", K.MASTER_PLAN, S.ACTIVE),
        "renewal_done": make("Områdefornyelse Sydhavn", K.AREA_RENEWAL, S.COMPLETED),
        "other_planned": make("Byudvikling Bispebjerg", K.OTHER, S.PLANNED),
    }


def initiatives_listed(client, **query) -> set[str]:
    response = client.get("/indsatser/", query)
    assert response.status_code == 200
    names = {i.name for i in response.context["initiatives"]}
    html = text_of(response)
    for item in Initiative.objects.all():
        assert (f">{item.name}</a>" in html) == (item.name in names), item.name
    return names


def test_the_initiative_register_filters_by_kind_and_status(initiatives, anonymous_client):
    def names(*keys):
        return {initiatives[k].name for k in keys}

    c = anonymous_client
    assert initiatives_listed(c) == names(*initiatives)
    assert initiatives_listed(c, type="area_renewal") == names("renewal_active", "renewal_done")
    assert initiatives_listed(c, status="active") == names("renewal_active", "plan_active")
    assert initiatives_listed(c, type="area_renewal", status="completed") == names("renewal_done")
    assert initiatives_listed(c, type="master_plan", status="planned") == set()


def approved_minutes_with(meeting, decision: str, *, approved: bool) -> MinutesItem:
    minutes = Minutes.objects.create(meeting=meeting)
    item = MinutesItem.objects.create(
        minutes=minutes, position=1, title="Områdefornyelse Tingbjerg", decision=decision
    )
    if approved:
        moment = datetime(2026, 6, 20, 12, 0, tzinfo=TZ)
        Minutes.objects.filter(pk=minutes.pk).update(
            status=Minutes.Status.APPROVED,
            sent_at=moment,
            comments_close_at=moment,
            approved_at=moment,
        )
    return item


def archive(forum, day: date):
    return meeting_services.meeting_schedule(
        actor=None,
        forum=forum,
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        is_archive=True,
        now=SCHEDULED_AT,
    )


def test_an_initiatives_page_lists_its_meetings_and_decisions(
    initiatives, forums, anonymous_client
):
    item = initiatives["renewal_active"]
    held = archive(forums["partnerskabsforum"], date(2026, 5, 19))
    coming = schedule(forums["borgmesterforum"], day=date(2027, 2, 10), now=SCHEDULED_AT)
    unapproved_meeting = archive(forums["borgmesterforum"], date(2026, 9, 8))
    decided = approved_minutes_with(
        held, "Partnerskabsforum tager status for områdefornyelsen til efterretning.", approved=True
    )
    pending = approved_minutes_with(
        unapproved_meeting, "Udkast: forlængelse af områdefornyelsen.", approved=False
    )
    item.meetings.set([held, coming])
    item.decisions.set([decided, pending])

    response = anonymous_client.get(f"/indsatser/{item.pk}/")
    assert response.status_code == 200
    assert list(response.context["meetings"]) == [coming, held]
    assert list(response.context["decisions"]) == [decided]
    html = text_of(response)
    for meeting in (held, coming):
        assert f'href="{meeting.get_absolute_url()}"' in html
    assert decided.decision in html
    assert pending.decision not in html  # minutes not yet approved are not public
    assert item.area in html and item.responsible.name in html


# --- Standing items on newly scheduled meetings ---------------------------------------------


def test_borgmesterforums_standing_item_on_area_based_initiatives_points_to_the_register(
    initiatives, forums
):
    meeting = schedule(forums["borgmesterforum"], day=date(2027, 2, 10), now=SCHEDULED_AT)
    item = meeting.items.get(title=INITIATIVES_ITEM)
    assert item.is_standard
    assert item.presentation.endswith(f"{django_settings.SITE_URL}/indsatser/")
    counts = {"planned": 1, "active": 2, "completed": 1}
    for value, label in Initiative.Status.choices:
        assert f"{counts[value]} {str(label).lower()}" in item.presentation
    # Only that item: the others keep the forum's own texts.
    others = meeting.items.exclude(pk=item.pk)
    assert not any("/indsatser/" in i.presentation for i in others)


def test_partnerskabsforums_status_item_links_to_the_agreement_in_force(
    forums, secretariat_user, private_media
):
    agreement = services.agreement_save(
        actor=secretariat_user,
        agreement=FrameworkAgreement(),
        title="Hovedaftale 2027–2030",
        period_start=date(2027, 1, 1),
        period_end=date(2030, 12, 31),
    )
    services.theme_save(
        actor=secretariat_user,
        theme=AgreementTheme(agreement=agreement),
        title="Tryghed og trivsel",
    )
    negotiated = archive(forums["partnerskabsforum"], date(2026, 5, 19))

    def status_item(day: date):
        # A meeting of its own each time: a forum has one meeting at a given start.
        meeting = schedule(forums["partnerskabsforum"], day=day, now=SCHEDULED_AT)
        items = meeting.items.order_by("position")
        assert "hovedaftale" in items[0].title
        return items[0], list(items[1:])

    # A draft is not linked.
    item, _rest = status_item(date(2027, 5, 20))
    assert "/hovedaftale/" not in item.presentation

    services.agreement_mark_negotiated(
        actor=secretariat_user, agreement=agreement, meeting=negotiated
    )
    services.agreement_record_br_approval(
        actor=secretariat_user,
        agreement=agreement,
        approved_on=date(2026, 12, 1),
        case_reference="1",
    )
    services.agreement_record_housing_approval(
        actor=secretariat_user, agreement=agreement, approved_on=date(2026, 12, 2)
    )
    item, rest = status_item(date(2027, 6, 3))
    assert item.is_standard
    assert item.presentation == (
        # the period once: the title holds it (core.labels.qualified)
        f"Hovedaftale 2027–2030: {django_settings.SITE_URL}/hovedaftale/{agreement.pk}/"
    )
    assert not any("/hovedaftale/" in i.presentation for i in rest)
    assert AgendaItem.objects.filter(presentation__contains="/hovedaftale/").count() == 1
