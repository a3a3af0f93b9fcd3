from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalSyncConfig(AppConfig):
    name = "national_sync"
    verbose_name = _("Đồng bộ Cổng DVC quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from common.events import DOSSIER_MOVED, DOSSIER_SUBMITTED

        from . import services, tasks  # noqa: F401  (tasks: registered in every process; beat names them by path)

        # The outbox row is written in the transaction of the submission or the move (subscribers run inside it).
        DOSSIER_SUBMITTED.subscribe(services.outbox_dossier_submitted)
        DOSSIER_MOVED.subscribe(services.outbox_dossier_moved)
