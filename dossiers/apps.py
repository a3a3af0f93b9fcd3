from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        # Register the Celery tasks in every process (as notifications does): beat names them by path.
        from . import signals, tasks  # noqa: F401  (signals: the citizen's cached pages follow the writes)
