"""The agreements' deadlines in the cockpit (agreements/due.py): a signed sub-agreement
that ends within the cockpit's weeks, and the framework agreement's renewal from 12 months
before its period ends until a successor has been negotiated."""

from datetime import date, datetime, timedelta

import pytest

from agreements import services
from agreements.models import FrameworkAgreement, SubAgreement
from core.due import due_items
from forums.models import Organisation
from forums.tests.factories import OrganisationFactory
from meetings.deadlines import TZ

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)


def due(kind: str, now: datetime = NOW) -> list:
    return [i for i in due_items(now=now, until=now + timedelta(weeks=8)) if i.kind == kind]


@pytest.fixture
def sub_agreement(forums, secretariat_user):
    return services.sub_agreement_save(
        actor=secretariat_user,
        sub_agreement=SubAgreement(),
        title="Boligsocial indsats Nordvest",
        theme="Boligsocial indsats",
        administration=Organisation.objects.get(short_name="SOF"),
        housing_organisation=OrganisationFactory(name="fsb", short_name="fsb"),
        period_start=date(2025, 3, 1),
        period_end=date(2027, 2, 28),  # a Sunday
        status=SubAgreement.Status.SIGNED,
    )


def test_a_signed_sub_agreement_ending_within_eight_weeks_is_due_and_goes_when_extended(
    sub_agreement, secretariat_user
):
    [item] = due("sub_agreement_expires")
    assert item.due.astimezone(TZ).date() == date(2027, 2, 28)
    assert item.act_on == date(2027, 2, 26)  # the Friday before
    assert item.url == f"/sekretariat/delaftaler/{sub_agreement.pk}/rediger/"
    assert "Boligsocial indsats Nordvest" in item.detail
    services.sub_agreement_save(
        actor=secretariat_user, sub_agreement=sub_agreement, period_end=date(2029, 2, 28)
    )
    assert due("sub_agreement_expires") == []


def test_a_sub_agreement_in_draft_is_not_due(sub_agreement, secretariat_user):
    services.sub_agreement_save(
        actor=secretariat_user, sub_agreement=sub_agreement, status=SubAgreement.Status.DRAFT
    )
    assert due("sub_agreement_expires") == []


def in_force(actor, *, start: date, end: date) -> FrameworkAgreement:
    return services.agreement_save(
        actor=actor,
        agreement=FrameworkAgreement(),
        title=f"Hovedaftale {start.year}–{end.year}",
        period_start=start,
        period_end=end,
        status=FrameworkAgreement.Status.IN_FORCE,
    )


def test_the_framework_agreement_is_due_for_renewal_from_twelve_months_before_it_ends(
    forums, secretariat_user
):
    agreement = in_force(secretariat_user, start=date(2024, 4, 1), end=date(2028, 3, 31))
    assert due("agreement_renewal") == []  # 15 months ahead: 8 weeks + 12 months not reached
    later = datetime(2027, 2, 15, 10, 0, tzinfo=TZ)
    [item] = due("agreement_renewal", now=later)
    assert item.due.astimezone(TZ).date() == date(2028, 3, 31)
    assert item.url == f"/sekretariat/hovedaftaler/{agreement.pk}/"
    services.agreement_save(
        actor=secretariat_user,
        agreement=FrameworkAgreement(),
        title="Hovedaftale 2028–2031",
        period_start=date(2028, 4, 1),
        period_end=date(2032, 3, 31),
        status=FrameworkAgreement.Status.NEGOTIATED,
    )
    assert due("agreement_renewal", now=later) == []


def test_a_draft_successor_does_not_count_as_renewed(forums, secretariat_user):
    in_force(secretariat_user, start=date(2024, 4, 1), end=date(2028, 3, 31))
    services.agreement_save(
        actor=secretariat_user,
        agreement=FrameworkAgreement(),
        title="Hovedaftale 2028–2031 (udkast)",
        period_start=date(2028, 4, 1),
        period_end=date(2032, 3, 31),
    )
    assert len(due("agreement_renewal", now=datetime(2027, 2, 15, 10, 0, tzinfo=TZ))) == 1
