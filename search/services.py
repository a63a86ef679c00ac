"""Writing the search index: the store `core.search.search_index` calls, and the rebuild."""

from django.db import connections, models, router, transaction
from django.db.models import Q

from core.search import SEARCH_ROOTS, SearchDoc, root_key, search_documents_for
from search import backends
from search.models import SearchDocument


def documents_replace(
    root: models.Model, docs: list[SearchDoc], *, using: str | None = None
) -> list[SearchDocument]:
    """Replace the stored documents of `root` ("<app>.<model>:<pk>") by `docs`, and those
    stored under the same refs by another root (a proposal moved to another meeting).

    1. delete the old rows (and, on SQLite, their FTS5 rows);
    2. insert the new ones;
    3. compute their search text: the Danish tsvector on PostgreSQL, the stemmed FTS5
       row on SQLite.
    Runs in the caller's transaction (or its own)."""
    using = using or router.db_for_write(SearchDocument)
    key = root_key(root)
    with transaction.atomic(using=using):
        old = SearchDocument.objects.using(using).filter(
            Q(root=key) | Q(ref__in=[d.ref for d in docs])
        )
        old_ids = list(old.values_list("pk", flat=True))
        SearchDocument.objects.using(using).filter(pk__in=old_ids).delete()
        rows = SearchDocument.objects.using(using).bulk_create([_row(key, doc) for doc in docs])
        _write_text(using, rows, old_ids)
    return rows


def _row(key: str, doc: SearchDoc) -> SearchDocument:
    return SearchDocument(
        root=key,
        ref=doc.ref,
        kind=doc.kind,
        url=doc.url,
        title=doc.title[:500],
        body=doc.body,
        forum_id=doc.forum_id,
        year=doc.year,
        visibility=doc.visibility,
    )


def _write_text(using: str, rows: list[SearchDocument], old_ids: list[int]) -> None:
    engine = backends.vendor(using)
    if engine == "postgresql":
        if rows:
            backends.write_postgresql(
                SearchDocument.objects.using(using).filter(pk__in=[r.pk for r in rows])
            )
    elif engine == "sqlite":
        backends.write_sqlite(using, [(r.pk, r.title, r.body) for r in rows], old_ids)


def search_rebuild(*, using: str | None = None) -> int:
    """Index every root of every provider afresh; returns the number of documents. Used by
    `manage.py search_rebuild` (after a restore, or when a provider changed)."""
    using = using or router.db_for_write(SearchDocument)
    count = 0
    with transaction.atomic(using=using):
        SearchDocument.objects.using(using).all().delete()
        if backends.vendor(using) == "sqlite":
            with connections[using].cursor() as cursor:
                cursor.execute(f"DELETE FROM {backends.FTS_TABLE}")
        for roots in SEARCH_ROOTS.values():
            for root in roots():
                count += len(documents_replace(root, search_documents_for(root), using=using))
    return count
