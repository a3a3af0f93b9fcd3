import json

from django.core.management.base import BaseCommand

from dossiers.services import dossier_code_marks
from payments.services import receipt_number_marks


class Command(BaseCommand):
    help = ("In ra (JSON) số hồ sơ và số biên lai đã cấp gần nhất của từng cơ quan: chạy trên cơ sở dữ liệu "
            "đang hỏng hoặc bản khôi phục tới cuối WAL, trước khi khôi phục về một thời điểm (docs/operations.md).")

    def handle(self, *args, **options):
        marks = {"dossier_codes": dossier_code_marks(), "receipts": receipt_number_marks()}
        self.stdout.write(json.dumps(marks, ensure_ascii=False, indent=1))
