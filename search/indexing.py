"""Keeping the index in step with the content: never lose a change.

A save or delete of a watched model writes a ``PendingChange`` row in the same transaction
(so it exists exactly when the change does) and, once the transaction commits, enqueues
``update_documents`` for the worker. The task re-reads the source through the provider,
writes or removes the documents and deletes the pending rows. If the worker was down or the
task failed, the pending rows stay: the periodic job ``search.catch_up`` and
``manage.py search_reindex --pending`` index them later. ``index_lag()`` (in /healthz) is the
age of the oldest pending change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task

from . import registry
from .engines import database
from .models import PendingChange, SearchDocument
from .text import stem_text
from .types import Document

log = logging.getLogger(__name__)


def write(docs: Iterable[Document], *, to_elastic: bool = True) -> int:
    """Write documents to the database engine (and Elasticsearch when configured; a full
    rebuild leaves Elasticsearch to ``elastic.reindex_all``, which fills fresh indices)."""
    n = 0
    written: list[Document] = []
    now = timezone.now()
    for doc in docs:
        row, _ = SearchDocument.objects.update_or_create(
            kind=doc.kind,
            object_id=doc.object_id,
            defaults={
                "title": doc.title[:300],
                "body": doc.body,
                "url": doc.url,
                "municipality": doc.municipality,
                "region_id": doc.region_id,
                "themes": doc.themes,
                "family_forms": doc.family_forms,
                "starts_at": doc.starts_at,
                "extra": doc.extra,
                "changed_at": doc.changed_at or now,
                "indexed_at": now,
            },
        )
        database.write_fts(row.pk, stem_text(doc.title), stem_text(f"{doc.body} {doc.municipality}"))
        n += 1
        written.append(doc)
    if written and to_elastic and _elastic_on():
        from .engines import elastic

        elastic.write(written)  # raises: the task fails and the pending row stays for a retry
    return n


def _elastic_on() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def remove(kind: str, object_ids: Iterable[int]) -> None:
    object_ids = list(object_ids)
    rows = SearchDocument.objects.filter(kind=kind, object_id__in=object_ids)
    database.delete_fts(list(rows.values_list("pk", flat=True)))
    rows.delete()
    if object_ids and _elastic_on():
        from .engines import elastic

        elastic.remove(kind, object_ids)


def refresh(kind: str, object_ids: list[int]) -> None:
    """Index what exists now, remove what no longer qualifies (deleted, unpublished, past)."""
    provider = registry.providers()[kind]
    docs = list(provider.documents(kind, ids=object_ids))
    write(docs)
    remove(kind, set(object_ids) - {d.object_id for d in docs})
    PendingChange.objects.filter(kind=kind, object_id__in=object_ids).delete()


@task()
def update_documents(kind: str, object_ids: list[int]) -> None:
    with transaction.atomic():
        refresh(kind, object_ids)


def catch_up(limit: int = 500) -> int:
    """Index every change still pending (after a crash or a stopped worker)."""
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in PendingChange.objects.order_by("created_at").values_list("kind", "object_id")[
        :limit
    ]:
        by_kind.setdefault(kind, []).append(object_id)
    for kind, ids in by_kind.items():
        with transaction.atomic():
            refresh(kind, ids)
    return sum(len(v) for v in by_kind.values())


def index_lag() -> dict:
    oldest = PendingChange.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "pending": PendingChange.objects.count(),
        "lag_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0,
    }


def _enqueue(kind: str, object_id: int) -> None:
    try:
        update_documents.enqueue(kind, [object_id])
    except Exception:  # noqa: BLE001 - the pending row stays; the catch-up job indexes it
        log.exception("could not enqueue a search update", extra={"kind": kind, "id": object_id})


def note_change(kind: str, object_id: int) -> None:
    """Record a change; the worker indexes it after commit (tests: at once, see settings)."""
    if getattr(settings, "SEARCH_INDEX_INLINE", False):
        refresh(kind, [object_id])
        return
    PendingChange.objects.get_or_create(kind=kind, object_id=object_id)
    transaction.on_commit(lambda: _enqueue(kind, object_id), robust=True)


def _handler(kind: str, to_id: Callable) -> Callable:
    def handle(sender, instance, **kwargs):
        if kwargs.get("raw"):
            return  # fixtures being loaded
        try:
            object_id = to_id(instance)
        except Exception:  # noqa: BLE001 - e.g. a related row already gone
            return
        if object_id:
            note_change(kind, object_id)

    return handle


_connected: list = []


def connect_signals() -> None:
    if _connected:
        return
    for model, kind, to_id in registry.watched():
        handler = _handler(kind, to_id)
        _connected.append(handler)  # signals hold weak references
        post_save.connect(handler, sender=model, weak=False)
        post_delete.connect(handler, sender=model, weak=False)
        # Wagtail saves specific pages under their own class: connect subclasses too.
        for sub in model.__subclasses__():
            post_save.connect(handler, sender=sub, weak=False)
            post_delete.connect(handler, sender=sub, weak=False)


def reindex(kinds: list[str] | None = None, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Rebuild the index kind by kind; answers {kind: count}."""
    counts = {}
    for kind in kinds or registry.kinds():
        provider = registry.providers()[kind]
        docs = list(provider.documents(kind))
        with transaction.atomic():
            keep = {d.object_id for d in docs}
            stale = SearchDocument.objects.filter(kind=kind).exclude(object_id__in=keep)
            remove(kind, stale.values_list("object_id", flat=True))
            for i, doc in enumerate(docs, 1):
                write([doc], to_elastic=False)
                if progress:
                    progress(kind, i, len(docs))
            PendingChange.objects.filter(kind=kind).delete()
        counts[kind] = len(docs)
        if progress and not docs:
            progress(kind, 0, 0)
    return counts
