"""Create the demo region with people for every role. Running it twice changes nothing."""

from __future__ import annotations

from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from thuisnet.core.navigation import APPS


class Command(BaseCommand):
    help = "Load the demo region Midden-IJssel/Oost-Veluwe (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--skip-apps", action="store_true", help="Only the region, people and home page; no app data."
        )

    def handle(self, *args, skip_apps: bool = False, **options) -> None:
        from thuisnet.core import demo

        call_command("createcachetable", verbosity=0)
        with transaction.atomic():
            region = demo.load_foundation(stdout=self.stdout)
        if not skip_apps:
            for app in APPS:
                module = import_module(f"{app}.demo")
                with transaction.atomic():
                    module.load(region, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodata staan klaar."))
        for email, role in demo.LOGINS:
            self.stdout.write(f"  {email:<40} {role}")
        self.stdout.write(f"  wachtwoord voor allen: {demo.PASSWORD}")
