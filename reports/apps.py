from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Thống kê")

    def ready(self):
        from dossiers.services import dossier_on_change

        from .services import figures_refresh

        dossier_on_change(figures_refresh)
