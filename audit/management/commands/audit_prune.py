from django.core.management.base import BaseCommand

from audit import services


class Command(BaseCommand):
    help = "Delete the access records older than AUDIT_RETENTION_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.access_prune()} access record(s) deleted.")
