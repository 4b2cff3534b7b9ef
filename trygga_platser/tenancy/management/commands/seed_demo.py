from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trygga_platser.tenancy.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_all


class Command(BaseCommand):
    help = "Build the fictional demo (SPEC §13). Safe to run again: it updates what exists."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (it resets the demo accounts' passwords)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo resets the demo accounts' passwords and is meant for development. "
                "DEBUG is off; add --force if you really want demo data here."
            )
        context = seed_all()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(context.orgs)} organisations, "
                                             f"{len(context.users)} accounts."))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        width = max(len(a.email) for a in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email.ljust(width)}  {account.who}")
