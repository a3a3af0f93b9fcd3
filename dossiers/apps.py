from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        from common.events import DOSSIER_EDITED, DOSSIER_MOVED, PAYMENT_MOVED

        # Register the Celery tasks in every process (as notifications does): beat names them by path.
        from . import tasks  # noqa: F401
        from .citizen_pages import dossier_followed, payment_followed

        # A citizen's kept pages follow every change of what they show.
        DOSSIER_EDITED.subscribe(dossier_followed)
        DOSSIER_MOVED.subscribe(dossier_followed)
        PAYMENT_MOVED.subscribe(payment_followed)
