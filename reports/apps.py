from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Thống kê")

    def ready(self):
        from common.events import DOSSIER_MOVED

        from .services import figures_refresh

        # The statistics rows of a dossier are recounted in the transaction of each of its moves.
        DOSSIER_MOVED.subscribe(figures_refresh)
