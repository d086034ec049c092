"""python manage.py breakdown_report --region SLUG --cohort-start YYYY-MM-DD
--cohort-end YYYY-MM-DD --as-of YYYY-MM-DD [--provider SLUG] [--type TYPE] --format json"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from thuisnet.accounts.models import Organisation, Region

from ...models import PlacementType
from ...services import build_report


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Print the breakdown report of a cohort as one JSON object (unsuppressed)."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True)
        parser.add_argument("--cohort-start", required=True, type=_date)
        parser.add_argument("--cohort-end", required=True, type=_date)
        parser.add_argument("--as-of", required=True, type=_date)
        parser.add_argument("--provider")
        parser.add_argument("--type", choices=PlacementType.values)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **opts):
        region = Region.objects.filter(slug=opts["region"]).first()
        if region is None:
            raise CommandError(f"Unknown region: {opts['region']}")
        if opts["cohort_end"] < opts["cohort_start"]:
            raise CommandError("--cohort-end lies before --cohort-start")
        provider = None
        if opts.get("provider"):
            provider = Organisation.objects.filter(
                slug=opts["provider"], kind="provider", region=region
            ).first()
            if provider is None:
                raise CommandError(f"Unknown provider in this region: {opts['provider']}")
        report = build_report(
            region,
            opts["cohort_start"],
            opts["cohort_end"],
            opts["as_of"],
            provider=provider,
            placement_type=opts.get("type"),
        )
        self.stdout.write(json.dumps(report))
