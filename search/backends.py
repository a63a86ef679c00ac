"""The two full-text engines behind `search.selectors.search` (same API, same results).

- PostgreSQL: to_tsvector/websearch-free plainto_tsquery with the `danish` configuration,
  the stored `search_vector` (GIN index), ts_rank and ts_headline.
- SQLite: FTS5 table `search_fts(title, body)` holding Danish-stemmed text (search.stemming),
  ranked by bm25() (title weighted 2, body 1), snippets made from the original text.

Both treat a query as every word required (AND), each word stemmed."""

import html
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, QuerySet
from django.utils.safestring import SafeString, mark_safe

from search import stemming

FTS_TABLE = "search_fts"
FTS_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')"
)
# Markers the engines put round a matched word; escaped text never contains them.
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 30


@dataclass
class Hit:
    """One result: the stored document, its rank (higher is better) and a snippet of its
    text with the matched words in <mark> (HTML-safe)."""

    document: object
    rank: float
    snippet: SafeString


def marked(text: str) -> SafeString:
    """`text` with START/STOP turned into <mark>…</mark>, everything else escaped."""
    escaped = html.escape(text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def vendor(using: str) -> str:
    return connections[using].vendor


# --- Writing -------------------------------------------------------------------------------


def write_postgresql(qs: QuerySet) -> None:
    qs.update(
        search_vector=SearchVector("title", weight="A", config="danish")
        + SearchVector("body", weight="B", config="danish")
    )


def write_sqlite(using: str, rows: list[tuple[int, str, str]], deleted: list[int]) -> None:
    """Replace the FTS rows of `deleted` ids and insert (id, title, body) `rows`."""
    with connections[using].cursor() as cursor:
        for pk in deleted:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])
        for pk, title, body in rows:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [pk, stemming.stemmed_text(title), stemming.stemmed_text(body)],
            )


# --- Reading -------------------------------------------------------------------------------


def query_postgresql(qs: QuerySet, text: str) -> tuple[int, callable]:
    """(count, page(offset, limit) -> [Hit]) for the documents of `qs` matching `text`."""
    query = SearchQuery(text, config="danish", search_type="plain")
    matches = qs.filter(search_vector=query)

    def page(offset: int, limit: int) -> list[Hit]:
        rows = (
            matches.annotate(
                rank=SearchRank(F("search_vector"), query),
                headline=SearchHeadline(
                    "body",
                    query,
                    config="danish",
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=SNIPPET_WORDS,
                    min_words=10,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .select_related("forum")
            .order_by("-rank", "-year", "pk")[offset : offset + limit]
        )
        return [Hit(row, row.rank, marked(row.headline)) for row in rows]

    return matches.count(), page


def fts_match(text: str) -> str:
    """The FTS5 MATCH expression for `text`: every stem, quoted (no FTS5 syntax from the
    user gets through), joined by AND. Empty when `text` has no word."""
    return " AND ".join('"' + s.replace('"', "") + '"' for s in stemming.stems(text) if s)


def snippet(text: str, query_stems: set[str]) -> SafeString:
    """Up to SNIPPET_WORDS words of `text` round the first match, each word whose stem is
    in `query_stems` marked (the counterpart of ts_headline on the stemmed index)."""
    tokens = list(stemming.WORD.finditer(text))
    hits = [i for i, m in enumerate(tokens) if stemming.stem(m.group().lower()) in query_stems]
    marked_at = set(hits)
    if not tokens:
        return marked("")
    first = max(0, (hits[0] if hits else 0) - SNIPPET_WORDS // 3)
    last = min(len(tokens), first + SNIPPET_WORDS) - 1
    out, pos = [], tokens[first].start()
    for i in range(first, last + 1):
        m = tokens[i]
        out.append(text[pos : m.start()])
        out.append(f"{START}{m.group()}{STOP}" if i in marked_at else m.group())
        pos = m.end()
    prefix = "… " if first > 0 else ""
    suffix = " …" if last < len(tokens) - 1 else ""
    return marked(prefix + "".join(out).strip() + suffix)


def query_sqlite(qs: QuerySet, text: str, using: str) -> tuple[int, callable]:
    """As query_postgresql, on the FTS5 table: bm25 ranks (lower is better, so negated)."""
    match = fts_match(text)
    if not match:
        return 0, lambda offset, limit: []
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}, 2.0, 1.0) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s",
            [match],
        )
        ranks = {pk: -score for pk, score in cursor.fetchall()}
    allowed = list(qs.filter(pk__in=list(ranks)).values_list("pk", "year"))
    ordered = [pk for pk, year in sorted(allowed, key=lambda r: (-ranks[r[0]], -r[1], r[0]))]
    query_stems = set(stemming.stems(text))

    def page(offset: int, limit: int) -> list[Hit]:
        ids = ordered[offset : offset + limit]
        rows = qs.model.objects.using(using).select_related("forum").in_bulk(ids)
        return [Hit(rows[pk], ranks[pk], snippet(rows[pk].body, query_stems)) for pk in ids]

    return len(ordered), page
