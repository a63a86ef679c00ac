"""The data migration lays down the four forums exactly as MANDATES.md reads them."""

import pytest

from forums.models import Forum, Membership, Organisation, Seat

pytestmark = pytest.mark.django_db


def rules(slug: str) -> dict:
    f = Forum.objects.get(slug=slug)
    return {
        "meetings": (f.meetings_per_year_min, f.meetings_per_year_max),
        "proposals": f.proposal_deadline_days,
        "agenda": f.agenda_deadline_days,
        "minutes": f.minutes_deadline_days,
        "comments": f.comment_window_days,
        "agenda_public": f.agenda_public,
        "minutes_public": f.approved_minutes_public,
        "responsible": f.item_requires_responsible,
    }


def test_the_four_forums_exist_with_their_slugs(forums):
    assert list(Forum.objects.values_list("slug", flat=True)) == [
        "borgmesterforum",
        "partnerskabsforum",
        "tvaerkommunal-styregruppe",
        "samarbejdsforum",
    ]


def test_each_forum_carries_its_deadlines_and_publicity_as_data(forums):
    assert rules("borgmesterforum") == {
        "meetings": (2, 2),
        "proposals": None,
        "agenda": 14,
        "minutes": 7,
        "comments": 14,
        "agenda_public": False,
        "minutes_public": False,
        "responsible": False,
    }
    assert rules("partnerskabsforum") == {
        "meetings": (1, 1),
        "proposals": 21,
        "agenda": 14,
        "minutes": 7,
        "comments": 14,
        "agenda_public": True,
        "minutes_public": True,
        "responsible": False,
    }
    assert rules("tvaerkommunal-styregruppe") == {
        "meetings": (6, 10),
        "proposals": None,
        "agenda": 7,
        "minutes": 7,
        "comments": 14,
        "agenda_public": False,
        "minutes_public": False,
        "responsible": True,
    }
    assert rules("samarbejdsforum") == {
        "meetings": (4, 6),
        "proposals": 21,
        "agenda": 14,
        "minutes": 7,
        "comments": 14,
        "agenda_public": False,
        "minutes_public": False,
        "responsible": True,
    }


def test_partnerskabsforum_meets_in_the_second_quarter_with_four_months_notice(forums):
    pf = forums["partnerskabsforum"]
    assert (pf.required_quarter, pf.notice_months) == (2, 4)
    assert Forum.objects.exclude(pk=pf.pk).filter(notice_months__isnull=False).count() == 0


def test_borgmesterforum_meets_at_city_hall_with_the_six_standard_items_in_order(forums):
    bmf = forums["borgmesterforum"]
    assert bmf.default_place == "Rådhuset"
    assert list(bmf.standard_items.values_list("title", flat=True)) == [
        "Afrapportering fra Den Tværkommunale Styregruppe",
        "Status på implementering af hovedaftalen",
        "Områdefornyelse og andre områdebaserede indsatser",
        "Emner til drøftelse i Partnerskabsforum",
        "Næste møde",
        "Eventuelt",
    ]
    assert set(bmf.agenda_set_from.values_list("slug", flat=True)) == {
        "tvaerkommunal-styregruppe",
        "samarbejdsforum",
    }


def test_partnerskabsforum_has_its_two_required_items_and_eventuelt_last(forums):
    items = list(forums["partnerskabsforum"].standard_items.values_list("title", "required"))
    assert [required for _, required in items] == [True, True, False]
    assert items[-1][0] == "Eventuelt"


def test_seats_follow_the_terms_of_reference(forums):
    def seats(slug):
        return {
            (s.organisation.short_name, s.max_holders)
            for s in Seat.objects.filter(forum__slug=slug)
        }

    assert seats("borgmesterforum") == {
        (org, 1) for org in ["ØKF", "TMF", "KFF", "SUF", "BUF", "SOF", "BIF"]
    }
    assert seats("partnerskabsforum") == {("BL 1. kreds", 7)}
    assert seats("tvaerkommunal-styregruppe") == {
        (org, 1) for org in ["ØKF", "TMF", "KFF", "SUF", "BUF", "SOF", "BIF"]
    }
    assert seats("samarbejdsforum") == {("BL 1. kreds", 8), ("LLO", 1)}


def test_composed_forums_and_chairs(forums):
    assert forums["partnerskabsforum"].includes_members_of == forums["borgmesterforum"]
    assert forums["samarbejdsforum"].includes_members_of == forums["tvaerkommunal-styregruppe"]
    chair_titles = set(forums["borgmesterforum"].chair_seats.values_list("title", flat=True))
    assert chair_titles == {"Overborgmester", "Teknik- og miljøborgmester"}
    assert (
        set(forums["partnerskabsforum"].chair_seats.values_list("title", flat=True)) == chair_titles
    )
    cfb = Organisation.objects.get(short_name="CfB")
    assert cfb.parent.short_name == "TMF"
    assert forums["samarbejdsforum"].chair_organisation == cfb
    assert all(f.secretariat == cfb for f in Forum.objects.all())


def test_only_styregruppen_and_samarbejdsforum_set_up_theme_groups(forums):
    assert set(Forum.objects.filter(sets_up_theme_groups=True).values_list("slug", flat=True)) == {
        "tvaerkommunal-styregruppe",
        "samarbejdsforum",
    }


def test_seeding_again_changes_nothing(forums):
    from django.apps import apps

    from forums.seed import seed_forums

    before = (Forum.objects.count(), Seat.objects.count(), Organisation.objects.count())
    seed_forums(apps)
    assert (Forum.objects.count(), Seat.objects.count(), Organisation.objects.count()) == before
    assert Membership.objects.count() == 0


def test_the_demo_data_is_refused_where_demo_data_is_not_allowed(settings, forums):
    """Its accounts have published passwords (a superuser among them): never on a real site."""
    from django.core.management import CommandError, call_command

    from accounts.models import User

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo")
    assert not User.objects.filter(email="admin@example.org").exists()
