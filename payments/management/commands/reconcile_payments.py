from datetime import timedelta

from django.core.management.base import BaseCommand

from payments.services import payments_reconcile


class Command(BaseCommand):
    help = "Hỏi cổng thanh toán về các giao dịch còn chờ và đóng các giao dịch đã hết hạn (đối soát)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=None,
                            help="Chỉ hỏi các giao dịch đã chờ quá số phút này (mặc định theo cấu hình).")

    def handle(self, *args, older_than=None, **options):
        counts = payments_reconcile(older_than=None if older_than is None else timedelta(minutes=older_than))
        self.stdout.write(
            f"Đã hỏi {counts['asked']} giao dịch: {counts['paid']} đã thanh toán, "
            f"{counts['closed']} hết hạn, {counts['errors']} lỗi."
        )
