from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.search import MEMBERS, PUBLIC, SEARCH_KINDS, SECRETARIAT


class Visibility(models.TextChoices):
    PUBLIC = PUBLIC, _("Public")
    MEMBERS = MEMBERS, _("Members of the forum")
    SECRETARIAT = SECRETARIAT, _("Secretariat")


class SearchDocument(models.Model):
    """One searchable text (core.search.SearchDoc) as stored. Rows of one root object
    (`root`, "meetings.meeting:12") are replaced together by `search.services`.

    PostgreSQL: `search_vector` holds to_tsvector('danish', title) weighted A and body
    weighted B, with a GIN index (migration 0001). SQLite: the same rows, with their
    Danish-stemmed text in the FTS5 table `search_fts` (rowid = id)."""

    Visibility = Visibility

    root = models.CharField(max_length=100, db_index=True)
    ref = models.CharField(max_length=120)
    kind = models.CharField(max_length=30)
    url = models.CharField(max_length=300)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    forum = models.ForeignKey(
        "forums.Forum", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(db_index=True)
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=[PUBLIC, SECRETARIAT])
                | models.Q(visibility=MEMBERS, forum__isnull=False),
                name="search_document_visibility_valid",
            ),
            models.UniqueConstraint(fields=["ref"], name="search_document_ref_unique"),
        ]
        indexes = [models.Index(fields=["visibility", "forum"], name="search_document_scope_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    @property
    def kind_label(self) -> str:
        return str(SEARCH_KINDS.get(self.kind, self.kind))
