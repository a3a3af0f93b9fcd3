from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdempotencyConfig(AppConfig):
    name = "idempotency"
    verbose_name = _("Chống gửi trùng")

    def ready(self):
        from . import tasks  # noqa: F401  (beat names the purge task by path)
