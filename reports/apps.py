from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Thống kê")

    def ready(self):
        from dossiers.models import Dossier
        from dossiers.signals import dossier_changed

        from .services import figures_refresh

        def refresh(sender, dossier, **kwargs):
            figures_refresh(dossier=dossier)

        dossier_changed.connect(refresh, sender=Dossier, weak=False, dispatch_uid="reports.figures_refresh")
