"""Searching: permission-aware by construction. The visibility filter is applied here,
inside the one function every caller uses, before any engine sees the query."""

from dataclasses import dataclass, field

from django.db import router
from django.db.models import Q, QuerySet

from core.search import MEMBERS, PUBLIC
from forums.selectors import forums_for_user
from search import backends
from search.models import SearchDocument


@dataclass(frozen=True)
class Scope:
    """What a reader may find: everything (the secretariat), or the public documents and
    the members' documents of `forum_ids`."""

    everything: bool = False
    forum_ids: frozenset[int] = field(default_factory=frozenset)


def search_scope(user) -> Scope:
    """The reader's scope: anonymous → public only; a member → public and their forums'
    (directly or through an included forum, forums.selectors.forums_for_user); the
    secretariat → everything."""
    if not user.is_authenticated:
        return Scope()
    if user.is_secretariat:
        return Scope(everything=True)
    return Scope(forum_ids=frozenset(f.pk for f in forums_for_user(user)))


def visible_documents(scope: Scope, *, using: str | None = None) -> QuerySet[SearchDocument]:
    """The stored documents `scope` may read."""
    using = using or router.db_for_read(SearchDocument)
    qs = SearchDocument.objects.using(using)
    if scope.everything:
        return qs
    return qs.filter(Q(visibility=PUBLIC) | Q(visibility=MEMBERS, forum_id__in=scope.forum_ids))


@dataclass
class Results:
    """`count` matches in all; `hits` the page asked for (backends.Hit), best first."""

    count: int
    hits: list


def search(
    *,
    query: str,
    scope: Scope,
    forum_id: int | None = None,
    year: int | None = None,
    kind: str = "",
    offset: int = 0,
    limit: int = 20,
    using: str | None = None,
) -> Results:
    """Danish full-text search of what `scope` may read: every word of `query` must occur
    (stemmed: "boliger" finds "bolig"), narrowed by forum, year and kind; ranked (title
    above body); `offset`/`limit` page through the hits. PostgreSQL or SQLite by the
    database `using` (default: where SearchDocument lives). A query without words finds
    nothing."""
    using = using or router.db_for_read(SearchDocument)
    if not query.strip():
        return Results(0, [])
    qs = visible_documents(scope, using=using)
    if forum_id:
        qs = qs.filter(forum_id=forum_id)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if backends.vendor(using) == "postgresql":
        count, page = backends.query_postgresql(qs, query)
    else:
        count, page = backends.query_sqlite(qs, query, using)
    return Results(count, page(offset, limit) if count else [])
