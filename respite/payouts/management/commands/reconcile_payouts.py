"""manage.py reconcile_payouts [--month 2026-11]: Thuisnet's ledger against Stripe's transfers."""

from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from respite.payouts import conf


class Command(BaseCommand):
    help = "Compares the payouts of one month (default: last month) with Stripe's transfers."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args, month=None, **options):
        if not conf.enabled():
            raise CommandError("Payouts are off (PAYOUTS_ENABLED is not set).")
        from respite.payouts import services

        if month:
            try:
                first = datetime.strptime(month, "%Y-%m").date()
            except ValueError:
                raise CommandError("Give the month as YYYY-MM, e.g. 2026-11.")
        else:
            first = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        run = services.reconcile(first)
        self.stdout.write(
            f"{first:%Y-%m}: {run.status}; Thuisnet {run.ledger_count} transfers "
            f"({run.ledger_cents / 100:.2f} EUR), "
            f"Stripe {run.stripe_count} ({run.stripe_cents / 100:.2f} EUR)"
        )
        for d in run.differences:
            self.stdout.write(
                f"  {d['kind']}: payout={d['payout']} booking={d['booking']} transfer={d['transfer']} "
                f"ledger={d['ledger_cents']} stripe={d['stripe_cents']}"
            )
        if run.status == run.Status.ERROR:
            raise CommandError(run.error or "Stripe could not be reached.")
