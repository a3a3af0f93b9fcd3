from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API tích hợp")

    def ready(self):
        from common.events import DOSSIER_MOVED

        from . import services

        # Every change of a dossier (a move, its fee, its rating) puts it at the end of the clients' changes feed,
        # in the change's own transaction.
        DOSSIER_MOVED.subscribe(services.dossier_change_record)
