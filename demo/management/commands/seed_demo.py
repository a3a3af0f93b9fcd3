from django.core.management.base import BaseCommand

from demo.services import demo_accounts_ensure, demo_catalogue_load
from demo.signing import demo_signers_ensure


class Command(BaseCommand):
    help = "Load the demo catalogue of Kon Tum and the demo accounts (safe to run again: only adds what is missing)."

    def handle(self, *args, **options):
        report = demo_catalogue_load()
        accounts = demo_accounts_ensure()
        signers = demo_signers_ensure()
        created = ", ".join(f"{count} {what}" for what, count in report.created.items() if count)
        self.stdout.write(f"Danh mục mẫu: {'đã thêm ' + created if created else 'không có gì mới'}.")
        if signers:
            self.stdout.write(f"Chữ ký số thử nghiệm (chỉ để phát triển, trong var/demo-signing): {signers} cơ quan.")
        self.stdout.write("Tài khoản mẫu (mật khẩu lưu trong demo-accounts.txt của thư mục var):")
        for role, email, password in accounts:
            shown = password or "(đã đặt trước đó, không còn trong tệp)"
            self.stdout.write(f"  {role:<55} {email:<32} {shown}")
