from django.core.management.base import BaseCommand

from demo.services import demo_accounts_ensure, demo_catalogue_load


class Command(BaseCommand):
    help = "Load the demo catalogue of Kon Tum and the demo accounts (safe to run again: only adds what is missing)."

    def handle(self, *args, **options):
        report = demo_catalogue_load()
        accounts = demo_accounts_ensure()
        created = ", ".join(f"{count} {what}" for what, count in report.created.items() if count)
        self.stdout.write(f"Danh mục mẫu: {'đã thêm ' + created if created else 'không có gì mới'}.")
        self.stdout.write("Tài khoản mẫu (mật khẩu lưu trong demo-accounts.txt của thư mục var):")
        for role, email, password in accounts:
            shown = password or "(đã đặt trước đó, không còn trong tệp)"
            self.stdout.write(f"  {role:<55} {email:<32} {shown}")
