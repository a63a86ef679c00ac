"""The services that write keep the index current (no nightly job)."""

import pytest
from django.core.management import call_command

from forums.models import Organisation
from meetings import services as meeting_services
from meetings.models import AgendaItem
from meetings.tests.factories import schedule
from search.models import SearchDocument
from search.selectors import search, search_scope

pytestmark = pytest.mark.django_db


def found(user, query: str) -> list[str]:
    return [h.document.title for h in search(query=query, scope=search_scope(user)).hits]


@pytest.fixture
def meeting_with_item(forums, secretariat_user):
    meeting = schedule(forums["samarbejdsforum"], actor=secretariat_user)
    meeting_services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        presentation="Status på boligerne i Nordvest",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    return meeting


def test_an_item_being_prepared_is_found_by_the_secretariat_only(
    meeting_with_item, secretariat_user, member_user
):
    assert [t for t in found(secretariat_user, "udlejningen") if "Fleksibel udlejning" in t]
    assert found(member_user, "udlejningen") == []
    doc = SearchDocument.objects.get(kind="agenda", title__contains="Fleksibel udlejning")
    assert (doc.visibility, doc.forum.slug) == ("secretariat", "samarbejdsforum")


def test_sending_the_agenda_lets_the_forums_members_find_its_items(
    meeting_with_item, secretariat_user, member_user, other_member_user
):
    meeting_services.agenda_send(actor=secretariat_user, meeting=meeting_with_item)

    assert [t for t in found(member_user, "boliger") if "Fleksibel udlejning" in t]
    assert found(other_member_user, "boliger") == []
    doc = SearchDocument.objects.get(kind="agenda", title__contains="Fleksibel udlejning")
    assert doc.visibility == "members"


def test_deleting_an_item_takes_it_out_of_the_index(meeting_with_item, secretariat_user):
    item = meeting_with_item.items.get(title="Fleksibel udlejning")

    meeting_services.agenda_item_delete(actor=secretariat_user, item=item)

    assert not SearchDocument.objects.filter(title__contains="Fleksibel udlejning").exists()
    assert found(secretariat_user, "udlejning") == []


def test_the_rebuild_command_indexes_everything_again(meeting_with_item, capsys):
    before = set(SearchDocument.objects.values_list("ref", "visibility", "title"))
    SearchDocument.objects.all().delete()

    call_command("search_rebuild")

    assert set(SearchDocument.objects.values_list("ref", "visibility", "title")) == before
    assert f"{len(before)} search documents indexed." in capsys.readouterr().out
