import json

from django.core.management.base import BaseCommand

from dossiers.services import dossier_code_sequences_raise
from payments.services import receipt_series_raise


class Command(BaseCommand):
    help = ("Nâng số hồ sơ và số biên lai của cơ sở dữ liệu vừa khôi phục lên ít nhất các số trong tệp JSON "
            "của numbering_export, để không cấp lại số mà người dân đã nhận sau thời điểm khôi phục.")

    def add_arguments(self, parser):
        parser.add_argument("marks", nargs="+", help="Tệp JSON của numbering_export (có thể nhiều tệp).")

    def handle(self, *args, marks, **options):
        codes = receipts = 0
        for path in marks:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            codes += dossier_code_sequences_raise(marks=data.get("dossier_codes", []))
            receipts += receipt_series_raise(marks=data.get("receipts", []))
        self.stdout.write(f"Đã nâng {codes} dãy số hồ sơ (cơ quan, ngày) và {receipts} dãy số biên lai (cơ quan, năm).")
