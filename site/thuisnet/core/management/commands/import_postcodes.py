from django.core.management.base import BaseCommand, CommandError

from thuisnet.core.geo import import_file


class Command(BaseCommand):
    help = "Import 4-digit postcode centroids from a CSV (pc4,municipality_cbs,lat,lon)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            count = import_file(file)
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"{count} postcodegebieden ingelezen.")
