"""Rebuild the search index: ``manage.py search_reindex [--kind K ...] [--pending]``."""

import sys

from django.core.management.base import BaseCommand

from search import indexing, registry


class Command(BaseCommand):
    help = "Bouwt de zoekindex opnieuw op (met voortgang en aantallen per soort)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=registry.kinds(), help="alleen deze soort")
        parser.add_argument("--pending", action="store_true", help="alleen wijzigingen die nog wachten")

    def handle(self, *args, kind=None, pending=False, **opts):
        if pending:
            self.stdout.write(f"pending: {indexing.catch_up(limit=100000)} indexed")
            return
        tty = sys.stdout.isatty()

        def progress(k: str, i: int, total: int) -> None:
            if not total:
                return
            if tty or i == total:
                width = 30
                bar = "#" * (width * i // total)
                end = "\n" if i == total else "\r"
                self.stdout.write(f"{k:<14} [{bar:<{width}}] {i}/{total}", ending=end)
                self.stdout.flush()

        counts = indexing.reindex(kind, progress=progress)
        for k, n in counts.items():
            self.stdout.write(f"{k}: {n}")
        self.stdout.write(self.style.SUCCESS(f"total: {sum(counts.values())}"))
        es = _elastic()
        if es:
            self.stdout.write(f"elasticsearch: {es.reindex_all()}")


def _elastic():
    from search.services import engine_name

    if engine_name() != "elasticsearch":
        return None
    from search.engines import elastic

    return elastic
