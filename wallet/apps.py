from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = _("Kho giấy tờ")

    def ready(self):
        from common.events import DOSSIER_MOVED

        # Register the Celery tasks in every process: beat names them by path.
        from . import tasks  # noqa: F401
        from .services import dossier_results_keep

        # A dossier's result, once returned, goes into its owner's wallet.
        DOSSIER_MOVED.subscribe(dossier_results_keep)
