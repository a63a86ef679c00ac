"""A label never repeats what the object's own name already says (issue 13, QA: "Hovedaftale
2025–2028 (2025–2028)"): core.labels.qualified for every label that adds years, a forum or
a date to a title, and the pages that use it."""

from datetime import date
from html import unescape

import pytest

from agreements.models import FrameworkAgreement
from core.labels import qualified, year_span
from meetings.models import Meeting
from meetings.tests.factories import schedule


@pytest.mark.parametrize(
    ("label", "qualifier", "expected"),
    [
        ("Hovedaftale 2025–2028", "2025–2028", "Hovedaftale 2025–2028"),
        ("Hovedaftale 2025-2028", "2025–2028", "Hovedaftale 2025-2028"),  # any dash
        ("Hovedaftale  2025 — 2028", "2025 – 2028", "Hovedaftale  2025 — 2028"),
        ("Hovedaftale", "2025–2028", "Hovedaftale (2025–2028)"),
        ("Hovedaftale 2021–2024", "2025–2028", "Hovedaftale 2021–2024 (2025–2028)"),
        ("", "2025–2028", "2025–2028"),
        ("Hovedaftale", "", "Hovedaftale"),
        ("Partnerskabsforum", "partnerskabsforum 2027", "partnerskabsforum 2027"),
    ],
)
def test_a_qualifier_is_added_only_when_the_label_does_not_already_say_it(
    label, qualifier, expected
):
    assert qualified(label, qualifier) == expected


def test_a_custom_pattern_joins_the_two_parts():
    assert qualified("Samarbejdsforum", "Temamøde", "{label}: {qualifier}") == (
        "Samarbejdsforum: Temamøde"
    )
    assert qualified("Samarbejdsforum", "Demo: Samarbejdsforum", "{label}: {qualifier}") == (
        "Demo: Samarbejdsforum"
    )


def test_year_span_is_one_year_or_two_with_an_en_dash():
    assert year_span(date(2025, 1, 1), date(2028, 12, 31)) == "2025–2028"
    assert year_span(date(2025, 1, 1), date(2025, 12, 31)) == "2025"
    assert year_span(date(2025, 1, 1), None) == "2025–"


def agreement(title: str, start: int, status=FrameworkAgreement.Status.IN_FORCE):
    return FrameworkAgreement.objects.create(
        title=title,
        period_start=date(start, 1, 1),
        period_end=date(start + 3, 12, 31),
        status=status,
    )


@pytest.mark.django_db
def test_the_agreement_lists_print_the_period_once(anonymous_client, secretariat_client):
    current = agreement("Hovedaftale 2025–2028", 2025)
    agreement("Hovedaftale 2021–2024", 2021, FrameworkAgreement.Status.EXPIRED)
    agreement("Den første hovedaftale", 2017, FrameworkAgreement.Status.EXPIRED)

    public = unescape(anonymous_client.get(current.get_absolute_url()).content.decode())
    assert "Hovedaftale 2021–2024" in public and "(2021–2024)" not in public
    assert "Den første hovedaftale (2017–2020)" in public

    manage = unescape(secretariat_client.get("/sekretariat/hovedaftaler/").content.decode())
    assert "Hovedaftale 2025–2028" in manage and "(2025–2028)" not in manage
    assert "Hovedaftale 2021–2024" in manage and "(2021–2024)" not in manage
    assert "Den første hovedaftale (2017–2020)" in manage


@pytest.mark.django_db
def test_a_meeting_row_does_not_repeat_the_forum_its_title_names(forums, anonymous_client):
    named = schedule(forums["samarbejdsforum"], days_ahead=20)
    Meeting.objects.filter(pk=named.pk).update(title="Demo: Samarbejdsforum")
    themed = schedule(forums["tvaerkommunal-styregruppe"], days_ahead=30)
    Meeting.objects.filter(pk=themed.pk).update(title="Temamøde om plejeboliger")

    html = unescape(anonymous_client.get("/moeder/").content.decode())
    assert f'href="/moeder/{named.pk}/">Demo: Samarbejdsforum</a>' in html
    assert "Samarbejdsforum: Demo: Samarbejdsforum" not in html
    assert "Den Tværkommunale Styregruppe: Temamøde om plejeboliger" in html
