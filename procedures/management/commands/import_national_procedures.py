import time

from django.core.management.base import BaseCommand, CommandError

from procedures.imports import ImportOutcome, procedures_import_file


class Command(BaseCommand):
    help = (
        "Import procedures of the national database (CSDL quốc gia về TTHC): the list export (.xlsx) or the "
        "detail records (.jsonl, .jsonl.gz). Keyed on the national code: importing again updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--province", default=None, help="province code of the local codes (default PROVINCE_CODE)")
        parser.add_argument("--quiet-rows", action="store_true", help="print only refused rows and the summary")

    def handle(self, *args, path, province, quiet_rows, **options):
        started = time.monotonic()
        try:
            report = procedures_import_file(path=path, province=province)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for row in report.rows:
            if quiet_rows and row.outcome != ImportOutcome.REFUSED:
                continue
            message = f" — {row.message}" if row.message else ""
            self.stdout.write(f"{row.row:>6}  {row.code or '?':<10} {row.outcome_label}{message}")
        self.stdout.write(f"{report.summary} ({time.monotonic() - started:.1f} giây).")
