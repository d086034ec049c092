"""The search index of the database engine: one row per searchable thing, any kind.

Rows are written by ``search.indexing`` (through the worker, after the change commits) and
never edited elsewhere. On SQLite an FTS5 table ``search_fts`` (created in a migration)
holds the Snowball-stemmed title and body under the same rowid; on PostgreSQL the Dutch
text-search configuration works on ``title`` and ``body`` directly.
"""

from django.db import models
from django.utils import timezone


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    municipality = models.CharField(max_length=100, blank=True)
    region_id = models.PositiveBigIntegerField(null=True, blank=True)
    themes = models.JSONField(default=list, blank=True)
    family_forms = models.JSONField(default=list, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # When the source changed (as the provider saw it) and when this row was written:
    # the gap between a change and its row is the index lag /healthz reports.
    changed_at = models.DateTimeField(default=timezone.now)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_doc_kind_object")]
        indexes = [models.Index(fields=["kind", "municipality"], name="search_doc_kind_muni")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class PendingChange(models.Model):
    """A change not yet in the index: written with the change (same transaction), removed by
    the worker once indexed. What is left here after a crash is picked up again by
    ``search_reindex --pending`` and the periodic job, so no change is ever lost."""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_kind_object")
        ]
