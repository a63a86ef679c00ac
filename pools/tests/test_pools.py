"""Issue 10 §1, Samarbejdsforum »kan efter bemyndigelse fra BR råde over økonomiske puljer
til bestemte formål«: a register of pools with the City Council's authorisation and a
period; grants decided in Samarbejdsforum's minutes, refused when they would overdraw the
pool (pending grants reserve), fall outside the period, come from another forum or from an
unauthorised pool; final only when the minutes that decided them are approved; a public
summary per pool the secretariat marks public."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from core.due import due_items
from core.errors import DomainError
from core.minutes_hooks import Approval
from core.models import AuditEntry
from forums.tests.factories import OrganisationFactory
from meetings.deadlines import TZ
from meetings.tests.factories import schedule
from minutes import services as minutes_services
from minutes.models import Minutes
from pools import services
from pools.models import Grant, Pool
from pools.money import format_dkk
from pools.selectors import pool_balance, public_pool_summary, public_pools

pytestmark = pytest.mark.django_db

BEFORE = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)
SF_DAY = date(2027, 3, 10)
SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)
AFTER_WINDOW = datetime(2027, 3, 30, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def danish():
    with translation.override("da"):
        yield


@pytest.fixture
def pool(forums, secretariat_user) -> Pool:
    return services.pool_save(
        actor=secretariat_user,
        name="Pulje til tryghed i boligområderne",
        slug="tryghed",
        purpose="Tryghedsskabende indsatser i udsatte almene boligområder.",
        amount=Decimal("1250000.00"),
        authorised_on=date(2026, 12, 10),
        authorisation_reference="BR 512/2026",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )


@pytest.fixture
def housing():
    return OrganisationFactory(name="fsb", kind="housing_organisation")


def minutes_of(forum, day: date = SF_DAY) -> Minutes:
    meeting = schedule(forum, day=day, now=BEFORE)
    return minutes_services.minutes_start(actor=None, meeting=meeting)


def item_of(minutes: Minutes):
    return minutes.items.order_by("position").first()


def grant(pool, item, amount, actor=None, **recipient):
    recipient = recipient or {"recipient_project": "Tryghedsvandring i Tingbjerg"}
    return services.grant_record(
        actor=actor, pool=pool, minutes_item=item, amount=Decimal(amount), **recipient
    )


def approve(minutes: Minutes, traveller, capture) -> Minutes:
    traveller.move_to(SENT)
    with capture(execute=True):
        minutes_services.minutes_send(actor=None, minutes=minutes)
    traveller.move_to(AFTER_WINDOW)
    with capture(execute=True):
        assert minutes_services.minutes_approve(minutes_id=minutes.pk, now=AFTER_WINDOW)
    minutes.refresh_from_db()
    return minutes


# --- The money ----------------------------------------------------------------------------


def test_money_is_written_the_danish_way_in_kroner_and_oere():
    assert format_dkk(Decimal("1250000")) == "1.250.000,00 kr."
    assert format_dkk(Decimal("999.5")) == "999,50 kr."
    assert format_dkk(0) == "0,00 kr."
    assert format_dkk(Decimal("-1234.005")) == "-1.234,01 kr."
    with pytest.raises(TypeError):
        format_dkk(1250000.0)


# --- A grant and its finality -------------------------------------------------------------


def test_a_grant_reserves_its_amount_at_once_and_is_final_only_when_its_minutes_are_approved(
    pool, forums, secretariat_user, housing, frozen, django_capture_on_commit_callbacks
):
    minutes = minutes_of(forums["samarbejdsforum"])
    given = grant(
        pool, item_of(minutes), "400000.00", secretariat_user, recipient_organisation=housing
    )
    given.refresh_from_db()
    assert given.status == Grant.Status.PENDING and given.finalised_at is None
    assert given.meeting == minutes.meeting and given.recipient == "fsb"
    assert pool_balance(pool) == Decimal("850000.00")
    assert AuditEntry.objects.get(action="pool.grant", object_id=str(given.pk)).actor == (
        secretariat_user
    )

    approve(minutes, frozen, django_capture_on_commit_callbacks)
    given.refresh_from_db()
    assert given.status == Grant.Status.FINAL
    assert given.finalised_at == minutes.approved_at
    assert (
        AuditEntry.objects.filter(action="pool.grant_final", object_id=str(given.pk)).count() == 1
    )
    assert pool_balance(pool) == Decimal("850000.00")
    # The approval happens once; a second sweep finds nothing to finalise again.
    assert not minutes_services.minutes_approve(minutes_id=minutes.pk, now=AFTER_WINDOW)
    assert (
        services.grants_finalise([Approval(minutes.meeting_id, minutes.pk, minutes.approved_at)])
        == 0
    )
    assert AuditEntry.objects.filter(action="pool.grant_final").count() == 1


def test_grants_of_other_minutes_stay_pending_when_one_meetings_minutes_are_approved(
    pool, forums, frozen, django_capture_on_commit_callbacks
):
    first = minutes_of(forums["samarbejdsforum"])
    later = minutes_of(forums["samarbejdsforum"], date(2027, 6, 9))
    grant(pool, item_of(first), "100000")
    other = grant(pool, item_of(later), "200000")
    approve(first, frozen, django_capture_on_commit_callbacks)
    other.refresh_from_db()
    assert other.status == Grant.Status.PENDING


def test_a_grant_recorded_from_already_approved_minutes_is_final_at_once(
    pool, forums, frozen, django_capture_on_commit_callbacks
):
    minutes = approve(
        minutes_of(forums["samarbejdsforum"]), frozen, django_capture_on_commit_callbacks
    )
    given = grant(pool, item_of(minutes), "50000")
    assert given.status == Grant.Status.FINAL and given.finalised_at == minutes.approved_at


# --- Refusals -----------------------------------------------------------------------------


def test_a_grant_that_would_exceed_the_balance_is_refused_counting_pending_grants(
    pool, forums, danish
):
    item = item_of(minutes_of(forums["samarbejdsforum"]))
    grant(pool, item, "1000000")
    with pytest.raises(DomainError) as refusal:
        grant(pool, item, "250000.01")
    assert refusal.value.message_dict["amount"] == [
        "250.000,01 kr. overstiger puljens saldo på 250.000,00 kr. (bevillinger, hvis referat "
        "endnu ikke er godkendt, har allerede reserveret deres beløb)."
    ]
    assert Grant.objects.count() == 1
    grant(pool, item, "250000.00")  # exactly the balance is allowed
    assert pool_balance(pool) == Decimal("0.00")


def test_a_grant_decided_outside_the_pools_period_is_refused(pool, forums, danish):
    item = item_of(minutes_of(forums["samarbejdsforum"], date(2028, 1, 12)))
    with pytest.raises(DomainError) as refusal:
        grant(pool, item, "1000")
    assert refusal.value.message_dict["minutes_item"] == [
        "Mødet den 12. januar 2028 ligger uden for puljens periode (1. januar 2027 – "
        "31. december 2027)."
    ]
    assert not Grant.objects.exists()


def test_only_samarbejdsforum_grants_money_from_a_pool(pool, forums, danish):
    item = item_of(minutes_of(forums["tvaerkommunal-styregruppe"]))
    with pytest.raises(DomainError) as refusal:
        grant(pool, item, "1000")
    assert refusal.value.message_dict["minutes_item"] == [
        "Kun Samarbejdsforum bevilger penge fra en pulje; dette er et møde i Den "
        "Tværkommunale Styregruppe."
    ]
    assert not Grant.objects.exists()


def test_a_pool_without_the_city_councils_authorisation_grants_nothing(
    pool, forums, secretariat_user, danish
):
    services.pool_save(actor=secretariat_user, pool=pool, authorisation_reference="")
    with pytest.raises(DomainError) as refusal:
        grant(pool, item_of(minutes_of(forums["samarbejdsforum"])), "1000")
    assert "bemyndigelse fra Borgerrepræsentationen" in refusal.value.message_dict["pool"][0]
    assert not Grant.objects.exists()


def test_a_grant_names_the_housing_organisation_or_the_project(pool, forums, danish):
    item = item_of(minutes_of(forums["samarbejdsforum"]))
    with pytest.raises(DomainError) as refusal:
        services.grant_record(
            actor=None, pool=pool, minutes_item=item, amount=Decimal("1000"), recipient_project=" "
        )
    assert refusal.value.message_dict["recipient_organisation"]
    assert not Grant.objects.exists()


def test_a_withdrawn_pending_grant_releases_its_reservation_but_a_final_one_stands(
    pool, forums, secretariat_user, frozen, django_capture_on_commit_callbacks
):
    minutes = minutes_of(forums["samarbejdsforum"])
    given = grant(pool, item_of(minutes), "300000")
    services.grant_withdraw(actor=secretariat_user, grant=given, reason="Beslutningen ændret")
    given.refresh_from_db()
    assert given.status == Grant.Status.WITHDRAWN and pool_balance(pool) == pool.amount
    assert AuditEntry.objects.filter(action="pool.grant_withdraw").count() == 1
    kept = grant(pool, item_of(minutes), "300000")
    approve(minutes, frozen, django_capture_on_commit_callbacks)
    given.refresh_from_db()
    assert given.status == Grant.Status.WITHDRAWN  # approval does not revive it
    with pytest.raises(DomainError):
        services.grant_withdraw(actor=secretariat_user, grant=kept, reason="For sent")
    kept.refresh_from_db()
    assert kept.status == Grant.Status.FINAL


def test_the_pools_amount_cannot_fall_below_what_is_granted_or_reserved(
    pool, forums, secretariat_user, danish
):
    grant(pool, item_of(minutes_of(forums["samarbejdsforum"])), "600000")
    with pytest.raises(DomainError) as refusal:
        services.pool_save(actor=secretariat_user, pool=pool, amount=Decimal("500000"))
    assert "600.000,00 kr." in refusal.value.message_dict["amount"][0]
    pool.refresh_from_db()
    assert pool.amount == Decimal("1250000.00")


# --- Pages --------------------------------------------------------------------------------


def test_the_secretariat_creates_a_pool_typing_a_danish_amount(forums, secretariat_client):
    response = secretariat_client.post(
        "/sekretariat/puljer/ny/",
        {
            "name": "Boligsocial pulje",
            "slug": "boligsocial",
            "purpose": "Boligsociale indsatser",
            "amount": "2.500.000,50",
            "authorised_on": "2026-12-10",
            "authorisation_reference": "BR 600/2026",
            "period_start": "2027-01-01",
            "period_end": "2028-12-31",
        },
    )
    created = Pool.objects.get(slug="boligsocial")
    assert response.status_code == 302 and response.url == f"/sekretariat/puljer/{created.pk}/"
    assert created.amount == Decimal("2500000.50") and not created.is_public
    assert AuditEntry.objects.filter(action="pool.create", object_id=str(created.pk)).exists()
    page = secretariat_client.get(response.url).content.decode()
    assert "2.500.000,50 kr." in page


def test_the_grant_form_refuses_an_overdraft_at_the_amount_and_keeps_what_was_typed(
    pool, forums, secretariat_client, housing
):
    item = item_of(minutes_of(forums["samarbejdsforum"]))
    response = secretariat_client.post(
        f"/sekretariat/puljer/{pool.pk}/bevilling/ny/",
        {
            "minutes_item": item.pk,
            "amount": "1.300.000,00",
            "recipient_organisation": housing.pk,
            "recipient_project": "Tingbjerg",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "overstiger puljens saldo på 1.250.000,00 kr." in form.errors["amount"][0]
    html = response.content.decode()
    assert 'value="Tingbjerg"' in html and 'value="1.300.000,00"' in html
    assert not Grant.objects.exists()


def test_a_non_secretariat_member_cannot_open_the_pools_pages(pool, member_client):
    assert member_client.get("/sekretariat/puljer/").status_code == 403
    assert member_client.post(f"/sekretariat/puljer/{pool.pk}/bevilling/ny/", {}).status_code == (
        403
    )


def test_the_public_summary_shows_a_pool_only_when_the_secretariat_marks_it_public(
    pool, forums, secretariat_user, client
):
    item = item_of(minutes_of(forums["samarbejdsforum"]))
    grant(pool, item, "400000", recipient_project="Tryghedsvandring")
    assert client.get("/puljer/tryghed/").status_code == 404
    assert "/puljer/tryghed/" not in client.get("/sitemap.xml").content.decode()
    assert public_pools() == []

    services.pool_save(actor=secretariat_user, pool=pool, is_public=True)
    html = client.get("/puljer/tryghed/").content.decode()
    assert "Pulje til tryghed i boligområderne" in html and "1.250.000,00 kr." in html
    assert "Tryghedsvandring" in html and "400.000,00 kr." in html and "850.000,00 kr." in html
    assert "/puljer/tryghed/" in client.get("/sitemap.xml").content.decode()
    assert "Pulje til tryghed" in client.get("/puljer/").content.decode()
    summary = public_pool_summary(pool)
    assert (summary["amount"], summary["reserved"], summary["granted"], summary["balance"]) == (
        Decimal("1250000.00"),
        Decimal("400000.00"),
        Decimal("0.00"),
        Decimal("850000.00"),
    )
    assert summary["grants"][0]["status"] == "pending" and summary["period_end"] == "2027-12-31"
    assert [p["slug"] for p in public_pools()] == ["tryghed"]


# --- What is due --------------------------------------------------------------------------


def test_a_pool_whose_period_ends_with_money_left_is_due(pool, forums):
    now = datetime(2027, 12, 1, 9, 0, tzinfo=TZ)
    items = [
        i
        for i in due_items(now=now, until=now + timedelta(days=60))
        if i.kind == "pool_period_ends"
    ]
    assert len(items) == 1
    assert items[0].due == datetime.combine(date(2027, 12, 31), time.max, tzinfo=TZ)
    assert items[0].extra["balance"] == Decimal("1250000.00")
    assert not [
        i
        for i in due_items(now=now, until=now + timedelta(days=20))
        if i.kind == "pool_period_ends"
    ]


def test_amounts_are_read_the_danish_way_and_an_ambiguous_point_is_refused(danish):
    from pools.forms import money_field

    field = money_field("Beløb")
    assert field.clean("2.500.000,50") == Decimal("2500000.50")
    assert field.clean("1 250 000 kr.") == Decimal("1250000")
    assert field.clean("12,5") == Decimal("12.5")
    with pytest.raises(Exception) as refusal:
        field.clean("1250000.50")  # not 125.000.050 kr.
    assert "komma før ørerne" in str(refusal.value)


def test_a_pool_spent_to_the_last_krone_is_not_due(pool, forums):
    grant(pool, item_of(minutes_of(forums["samarbejdsforum"])), "1250000")
    now = datetime(2027, 12, 1, 9, 0, tzinfo=TZ)
    due = due_items(now=now, until=now + timedelta(days=60))
    assert [i for i in due if i.kind == "pool_period_ends"] == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1250000", Decimal("1250000")),
        ("1250000,50", Decimal("1250000.50")),
        ("1.250.000,50", Decimal("1250000.50")),
        ("1.250.000", Decimal("1250000")),
    ],
)
def test_the_pool_form_stores_an_amount_typed_the_danish_way(
    typed, stored, forums, secretariat_client
):
    response = secretariat_client.post("/sekretariat/puljer/ny/", pool_post(amount=typed))
    assert response.status_code == 302
    assert Pool.objects.get(slug="boligsocial").amount == stored


@pytest.mark.parametrize("typed", ["1250000.50", "1.25000050", "1,250,000"])
def test_the_pool_form_refuses_an_ambiguous_amount_at_the_field_keeping_it(
    typed, forums, secretariat_client, danish
):
    response = secretariat_client.post("/sekretariat/puljer/ny/", pool_post(amount=typed))
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Skriv beløbet med komma før ørerne, fx 1.250.000,50."
    ]
    assert f'value="{typed}"' in response.content.decode()
    assert not Pool.objects.exists()


def test_money_fields_are_text_inputs_that_keep_the_danish_comma(pool, forums, secretariat_client):
    for url in ("/sekretariat/puljer/ny/", f"/sekretariat/puljer/{pool.pk}/bevilling/ny/"):
        html = secretariat_client.get(url).content.decode()
        amount = re.search(r'<input[^>]*name="amount"[^>]*>', html).group(0)
        assert 'type="text"' in amount and 'inputmode="decimal"' in amount
        assert 'type="number"' not in amount


def pool_post(**fields) -> dict:
    return {
        "name": "Boligsocial pulje",
        "slug": "boligsocial",
        "purpose": "Boligsociale indsatser",
        "amount": "2.500.000,50",
        "authorised_on": "2026-12-10",
        "authorisation_reference": "BR 600/2026",
        "period_start": "2027-01-01",
        "period_end": "2028-12-31",
        **fields,
    }


def test_the_secretariats_pools_page_has_its_own_title(pool, client, secretariat_client, danish):
    public = client.get("/puljer/").content.decode()
    secretariat = secretariat_client.get("/sekretariat/puljer/").content.decode()
    title = re.compile(r"<title>\s*([^<]*?)\s*</title>")
    assert title.search(public).group(1).startswith("Puljer ")
    assert title.search(secretariat).group(1).startswith("Puljer (sekretariatet)")


def test_the_new_pool_breadcrumb_passes_through_the_pools(forums, secretariat_client, danish):
    html = secretariat_client.get("/sekretariat/puljer/ny/").content.decode()
    crumbs = html[html.index('class="breadcrumb"') :]
    crumbs = crumbs[: crumbs.index("</ol>")]
    assert '<a href="/sekretariat/puljer/">Puljer</a>' in crumbs
    assert crumbs.index("Puljer") < crumbs.index("Ny pulje")


def test_a_taken_address_name_is_refused_in_plain_danish(pool, forums, secretariat_client, danish):
    response = secretariat_client.post("/sekretariat/puljer/ny/", pool_post(slug="tryghed"))
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Der findes allerede en pulje med dette adressenavn."
    ]
    assert Pool.objects.count() == 1
