from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký truy cập dữ liệu cá nhân")

    def ready(self):
        from . import tasks  # noqa: F401  (beat names the prune task by path)
