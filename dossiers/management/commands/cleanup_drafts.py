from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dossiers.services import dossier_drafts_purge


class Command(BaseCommand):
    help = "Delete drafts (hồ sơ nháp) untouched for DRAFT_RETENTION_DAYS days, with their stored files."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="retention in days (default DRAFT_RETENTION_DAYS)")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, days=None, batch_size=200, **options):
        days = settings.DRAFT_RETENTION_DAYS if days is None else days
        if days < 1 or batch_size < 1:
            raise CommandError("--days and --batch-size must be at least 1")
        drafts, files = dossier_drafts_purge(older_than=timedelta(days=days), batch_size=batch_size)
        self.stdout.write(f"Deleted {drafts} drafts and {files} files untouched for more than {days} days.")
