from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Nhật ký truy cập dữ liệu cá nhân"

    def ready(self):
        from . import tasks  # noqa: F401  (beat names the prune task by path)
