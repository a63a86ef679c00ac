"""The Django side of the `search-postgres` benchmark (`python -m bench.worker search`).

1. bulk-create `count` SearchDocuments of generated Danish text (agenda items, minutes,
   actions, agreements…) spread over the four forums, ten years and the three visibilities;
2. compute their Danish tsvectors in one UPDATE (search.backends.write_postgresql), ANALYZE;
3. time `search.selectors.search` (the count and the first page of 20 with snippets) for
   `queries` typical Danish queries, as the public, a member and the secretariat in turn;
4. EXPLAIN ANALYZE the matching query and say whether it uses the GIN index."""

import random
import statistics
import time

WORDS = [
    "bolig",
    "boliger",
    "boligerne",
    "udlejning",
    "udlejningen",
    "anvisning",
    "helhedsplan",
    "helhedsplaner",
    "tryghed",
    "tryghedsindsats",
    "beskæftigelse",
    "uddannelse",
    "økonomi",
    "budget",
    "renovering",
    "områdefornyelse",
    "byggeri",
    "parkering",
    "grønne",
    "områder",
    "beboere",
    "beboerdemokrati",
    "afdeling",
    "boligorganisation",
    "forvaltning",
    "kommune",
    "aftale",
    "aftalen",
    "delaftale",
    "hovedaftale",
    "indsats",
    "indsatser",
    "status",
    "orientering",
    "drøftelse",
    "beslutning",
    "indstilling",
    "sagsfremstilling",
    "opfølgning",
    "handling",
    "frist",
    "evaluering",
    "fleksibel",
    "kriterier",
    "venteliste",
    "lejere",
    "klimatilpasning",
    "energi",
    "vedligeholdelse",
    "skole",
    "institution",
    "fritid",
    "socialt",
    "arbejde",
]
QUERIES = (
    "boliger",
    "udlejningen",
    "fleksibel udlejning",
    "helhedsplan",
    "tryghed",
    "beskæftigelse",
    "økonomi budget",
    "renovering",
    "områdefornyelse",
    "beboerdemokrati",
    "venteliste",
    "klimatilpasning",
    "hovedaftalen",
    "delaftaler",
    "evaluering af indsatsen",
    "grønne områder",
    "parkering",
    "energi vedligeholdelse",
    "socialt arbejde",
    "anvisning kriterier",
)
KINDS = ("agenda", "minutes", "action", "proposal", "agreement", "sub_agreement", "initiative")


SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "le",
    "sa",
    "tu",
    "ne",
    "vi",
    "do",
    "ja",
    "be",
    "fo",
    "gi",
    "hu",
    "lo",
    "ma",
    "pe",
    "ro",
    "si",
    "ta",
]


def _filler(rng: random.Random) -> list[str]:
    """5,000 made-up words: the bulk of every text, so that a topic word occurs in a few
    per cent of the documents, as in real minutes (not in all of them)."""
    return ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(5000)]


def _text(rng: random.Random, filler: list[str], words: int, topics: list[str]) -> str:
    text = [rng.choice(filler) for _ in range(words)]
    for topic in topics:
        text.insert(rng.randrange(len(text) + 1), topic)
    return " ".join(text).capitalize() + "."


def _populate(count: int) -> dict:
    from django.db import connection

    from core.search import MEMBERS, PUBLIC, SECRETARIAT
    from forums.models import Forum
    from search import backends
    from search.models import SearchDocument

    rng = random.Random(14)
    filler = _filler(rng)
    forum_ids = list(Forum.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    SearchDocument.objects.all().delete()
    batch = []
    for n in range(count):
        visibility = rng.choices((PUBLIC, MEMBERS, SECRETARIAT), (3, 5, 2))[0]
        batch.append(
            SearchDocument(
                root=f"bench.root:{n // 10}",
                ref=f"bench.doc:{n}",
                kind=rng.choice(KINDS),
                url=f"/bench/{n}/",
                title=_text(rng, filler, 4, [rng.choice(WORDS)]),
                body="\n\n".join(_text(rng, filler, 40, [rng.choice(WORDS)]) for _ in range(2)),
                forum_id=rng.choice(forum_ids),
                year=rng.randint(2017, 2027),
                visibility=visibility,
            )
        )
        if len(batch) == 5000:
            SearchDocument.objects.bulk_create(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    created = time.perf_counter() - started
    backends.write_postgresql(SearchDocument.objects.all())
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
    return {
        "documents": SearchDocument.objects.count(),
        "create_seconds": round(created, 1),
        "vector_seconds": round(time.perf_counter() - started - created, 1),
        "forum_ids": forum_ids,
    }


def _plan(query: str) -> dict:
    from django.contrib.postgres.search import SearchQuery
    from django.db import connection

    from search.selectors import Scope, visible_documents

    # The filter search.backends.query_postgresql builds, for the public's scope.
    query = SearchQuery(query, config="danish", search_type="plain")
    matches = visible_documents(Scope()).filter(search_vector=query)
    sql, params = matches.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS off) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    return {"plan": plan, "uses_gin": any("search_document_vector_gin" in line for line in plan)}


def search_bench(args) -> dict:
    from search.selectors import Scope, search

    populated = _populate(args.count)
    forum_ids = populated["forum_ids"]
    scopes = [Scope(), Scope(forum_ids=frozenset(forum_ids[:1])), Scope(everything=True)]
    rng = random.Random(200)
    for query in QUERIES[:5]:  # warm the caches
        search(query=query, scope=scopes[2])
    timings, counts = [], []
    for n in range(args.queries):
        query, scope = rng.choice(QUERIES), scopes[n % 3]
        started = time.perf_counter()
        result = search(query=query, scope=scope, limit=20)
        _ = [str(hit.snippet) for hit in result.hits]
        timings.append((time.perf_counter() - started) * 1000)
        counts.append(result.count)
    timings.sort()
    return {
        "populate": {k: v for k, v in populated.items() if k != "forum_ids"},
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "median_hits": statistics.median(counts),
        "plan": _plan("boliger"),
    }
