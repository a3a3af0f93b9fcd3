from datetime import timedelta

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Queue again every e-mail that has not been sent (older than --minutes, default 0)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=0)

    def handle(self, *args, minutes, **options):
        count = services.email_sweep_pending(older_than=timedelta(minutes=minutes))
        self.stdout.write(f"{count} e-mail(s) queued again.")
