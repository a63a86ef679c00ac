"""The two engines answer the same Danish queries alike: PostgreSQL (`default`, the
`danish` text-search configuration) and SQLite (`sqlite`, FTS5 with Snowball's Danish
stems). Each test runs once per engine."""

import pytest

from core.search import MEMBERS, PUBLIC, SECRETARIAT, SearchDoc
from forums.models import Forum
from search import backends
from search.models import SearchDocument
from search.selectors import Scope, search
from search.services import documents_replace

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])

EVERYTHING = Scope(everything=True)


@pytest.fixture(params=["default", "sqlite"])
def using(request):
    return request.param


@pytest.fixture(autouse=True)
def _forums(forums):
    """The forums of the default database, copied into the SQLite one (its migrations
    seed only the default database)."""
    from forums.models import Organisation

    Organisation.objects.using("sqlite").bulk_create(list(Organisation.objects.order_by("pk")))
    Forum.objects.using("sqlite").bulk_create(list(Forum.objects.order_by("pk")))


def forum_of(using: str, slug: str) -> Forum:
    return Forum.objects.get(slug=slug)


def doc(n: int, title: str, body: str = "", **kwargs) -> SearchDoc:
    values = {"kind": "agenda", "visibility": PUBLIC, "year": 2027, "forum_id": None}
    values.update(kwargs)
    return SearchDoc(ref=f"test:{n}", url=f"/test/{n}/", title=title, body=body, **values)


def index(using: str, *docs: SearchDoc, root=None) -> None:
    root = root or forum_of(using, "borgmesterforum")
    documents_replace(root, list(docs), using=using)


def titles(using: str, query: str, scope: Scope = EVERYTHING, **filters) -> list[str]:
    return [h.document.title for h in search(query=query, scope=scope, using=using, **filters).hits]


def test_the_engines_are_the_ones_named(using):
    assert backends.vendor(using) == {"default": "postgresql", "sqlite": "sqlite"}[using]


def test_boliger_finds_bolig(using):
    index(using, doc(1, "Status", "Nye almene bolig i Nordvest"), doc(2, "Trafik", "Cykelstier"))

    assert titles(using, "boliger") == ["Status"]


def test_udlejningen_finds_udlejning(using):
    index(using, doc(1, "Fleksibel udlejning", "Aftalen fortsætter"), doc(2, "Andet", "Intet"))

    assert titles(using, "udlejningen") == ["Fleksibel udlejning"]


def test_every_word_of_the_query_must_occur(using):
    index(using, doc(1, "Boliger og udlejning"), doc(2, "Boliger"), doc(3, "Udlejning"))

    assert titles(using, "bolig udlejningen") == ["Boliger og udlejning"]


def test_a_match_in_the_title_ranks_above_one_in_the_text(using):
    index(
        using,
        doc(1, "Trafik", "Et afsnit om trafik og om udlejning af parkering"),
        doc(2, "Udlejning", "Kort tekst"),
    )

    assert titles(using, "udlejning") == ["Udlejning", "Trafik"]


def test_filters_narrow_by_forum_year_and_kind_and_the_count_says_how_many(using):
    bf, sf = forum_of(using, "borgmesterforum"), forum_of(using, "samarbejdsforum")
    index(
        using,
        doc(1, "Bolig A", forum_id=bf.pk, year=2026),
        doc(2, "Bolig B", forum_id=sf.pk, year=2027),
        doc(3, "Bolig C", forum_id=sf.pk, year=2027, kind="minutes"),
        doc(4, "Bolig D", year=2027, kind="initiative"),
    )

    assert search(query="bolig", scope=EVERYTHING, using=using).count == 4
    assert sorted(titles(using, "bolig", forum_id=sf.pk)) == ["Bolig B", "Bolig C"]
    assert sorted(titles(using, "bolig", year=2026)) == ["Bolig A"]
    assert titles(using, "bolig", kind="initiative") == ["Bolig D"]
    result = search(query="bolig", scope=EVERYTHING, using=using, forum_id=sf.pk, kind="agenda")
    assert (result.count, [h.document.title for h in result.hits]) == (1, ["Bolig B"])


def test_the_snippet_marks_the_matched_words_and_escapes_the_text(using):
    index(using, doc(1, "Punkt", "De nye boliger <b>&</b> grønne områder"))

    (hit,) = search(query="bolig", scope=EVERYTHING, using=using).hits

    assert "<mark>boliger</mark>" in hit.snippet
    assert "<b>" not in hit.snippet
    assert "&amp;" in hit.snippet


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope(), ["Offentlig"]),
        (Scope(forum_ids=frozenset({"sf"})), ["Medlemmer", "Offentlig"]),
        (Scope(forum_ids=frozenset({"bf"})), ["Offentlig"]),
        (EVERYTHING, ["Medlemmer", "Offentlig", "Sekretariat"]),
    ],
)
def test_each_reader_finds_only_what_their_scope_allows(using, scope, expected):
    sf = forum_of(using, "samarbejdsforum")
    bf = forum_of(using, "borgmesterforum")
    ids = {"sf": sf.pk, "bf": bf.pk}
    scope = Scope(scope.everything, frozenset(ids[s] for s in scope.forum_ids))
    index(
        using,
        doc(1, "Offentlig", "bolig"),
        doc(2, "Medlemmer", "bolig", visibility=MEMBERS, forum_id=sf.pk),
        doc(3, "Sekretariat", "bolig", visibility=SECRETARIAT, forum_id=sf.pk),
    )

    assert sorted(titles(using, "bolig", scope)) == expected
    assert search(query="bolig", scope=scope, using=using).count == len(expected)


def test_reindexing_a_root_replaces_its_documents(using):
    index(using, doc(1, "Gammel bolig"), doc(2, "Anden bolig"))
    index(using, doc(1, "Ny bolig"))

    assert titles(using, "bolig") == ["Ny bolig"]
    assert SearchDocument.objects.using(using).count() == 1


def test_query_syntax_is_treated_as_words(using):
    index(using, doc(1, "Bolig"))

    assert titles(using, 'bolig" OR title:*') == []
    assert titles(using, "   ") == []
    assert titles(using, "BOLIG!") == ["Bolig"]
