"""python manage.py import_placements FILE --provider SLUG"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thuisnet.accounts.models import Organisation
from thuisnet.core.audit import record

from ...services import import_file


class Command(BaseCommand):
    help = "Import placements from a CSV or XLSX file in the documented format (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--provider", required=True)

    def handle(self, *args, **opts):
        provider = Organisation.objects.filter(slug=opts["provider"], kind="provider").first()
        if provider is None:
            raise CommandError(f"Unknown provider: {opts['provider']}")
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        result = import_file(provider, path.name, path.read_bytes())
        record(
            None,
            "import",
            "placement_file",
            provider.slug,
            file=path.name,
            rows=result.rows,
            ok=result.ok,
            via="command",
        )
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"regel {e.row} {e.column}: {e.message}")
            raise CommandError(f"{len(result.errors)} fout(en); er is niets opgeslagen.")
        self.stdout.write(
            f"{result.rows} regels: {result.created} nieuw, {result.updated} "
            f"bijgewerkt, {result.unchanged} ongewijzigd."
        )
