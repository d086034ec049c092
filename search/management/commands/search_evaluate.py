"""Print MRR and nDCG@10 of the judged queries per engine: ``manage.py search_evaluate``.

Runs on the current database (load the demo first: ``manage.py load_demo``).
"""

from django.core.management.base import BaseCommand
from django.db import connection

from search import evaluation, services


class Command(BaseCommand):
    help = "Meet de relevantie (MRR, nDCG@10) van de zoekfunctie met de beoordeelde vragen."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(evaluation.DEFAULT_FILE))
        parser.add_argument("--verbose-queries", action="store_true", help="toon elke vraag")

    def handle(self, *args, file, verbose_queries=False, **opts):
        queries = evaluation.load(file)
        engine = services.engine_name()
        label = f"{engine} ({connection.vendor})" if engine == "database" else engine
        mrr, ndcg, rows = evaluation.evaluate(queries)
        if verbose_queries:
            for r in rows:
                mark = " " if r.rr == 1 else "!"
                self.stdout.write(f"{mark} rr={r.rr:.2f} ndcg={r.ndcg:.2f}  {r.query}  -> {r.top}")
        self.stdout.write(f"engine: {label}  queries: {len(rows)}  MRR: {mrr:.3f}  nDCG@10: {ndcg:.3f}")
        if engine == "database":
            self.stdout.write(
                "elasticsearch: not measured (no server here; run with ELASTICSEARCH_URL set and "
                "`manage.py search_reindex` first)"
            )
