from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the current 2FA code for the demo staff accounts (demo data only)."

    def handle(self, *args, **options) -> None:
        from thuisnet.core.demo import DEMO_TOTP_SECRET, totp_code

        self.stdout.write(totp_code(DEMO_TOTP_SECRET))
