"""Periodic search jobs: index changes the worker has not yet indexed (after a crash), and
re-index evenings daily so past ones drop out and availability summaries stay current."""

from datetime import timedelta

from thuisnet.core.jobs import periodic

from . import indexing


@periodic("search.catch_up", every=timedelta(minutes=5))
def catch_up() -> int:
    return indexing.catch_up()


@periodic("search.refresh_dated", every=timedelta(hours=24))
def refresh_dated() -> int:
    return sum(indexing.reindex(["evening", "respite_offer"]).values())
