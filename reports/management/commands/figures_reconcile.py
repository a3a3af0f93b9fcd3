from django.core.management.base import BaseCommand, CommandError

from reports.services import figures_rebuild, figures_reconcile


class Command(BaseCommand):
    help = "So sánh số liệu thống kê theo ngày với bảng hồ sơ; --fix sửa các dòng lệch, --rebuild dựng lại toàn bộ."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="ghi lại các dòng lệch theo bảng hồ sơ")
        parser.add_argument("--rebuild", action="store_true", help="xóa và dựng lại toàn bộ số liệu theo ngày")

    def handle(self, *args, fix=False, rebuild=False, **options):
        if rebuild:
            self.stdout.write(f"Đã dựng lại {figures_rebuild()} dòng số liệu.")
            return
        drifts = figures_reconcile(fix=fix)
        for drift in drifts[:50]:
            self.stdout.write(str(drift))
        if len(drifts) > 50:
            self.stdout.write(f"… và {len(drifts) - 50} dòng khác.")
        if not drifts:
            self.stdout.write("Số liệu khớp với bảng hồ sơ.")
        elif fix:
            self.stdout.write(f"Đã sửa {len(drifts)} dòng lệch.")
        else:
            raise CommandError(f"{len(drifts)} dòng số liệu lệch với bảng hồ sơ (chạy lại với --fix để sửa).")
