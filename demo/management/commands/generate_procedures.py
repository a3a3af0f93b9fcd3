import time

from django.core.management.base import BaseCommand, CommandError

from demo.generator import procedures_generate


class Command(BaseCommand):
    help = "Create N synthetic procedures (with components and fees) in bulk, for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--prefix", default="9", help="first digit of the generated codes (default 9)")
        parser.add_argument("--seed", type=int, default=None, help="random seed, for a reproducible catalogue")

    def handle(self, *args, count, prefix, seed, **options):
        if count < 1:
            raise CommandError("N phải là số nguyên dương.")
        if len(prefix) != 1 or not prefix.isdigit():
            raise CommandError("Tiền tố phải là một chữ số (0-9).")
        started = time.monotonic()
        try:
            procedures_generate(count=count, prefix=prefix, seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã tạo {count} thủ tục trong {time.monotonic() - started:.1f} giây.")
