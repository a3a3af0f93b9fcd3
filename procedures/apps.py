from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Thủ tục hành chính")

    def ready(self):
        from common.events import CATALOGUE_CHANGED

        from . import versioning

        # Every change of the catalogue moves its version, in the writing transaction (procedures/versioning.py).
        CATALOGUE_CHANGED.subscribe(versioning.bump)
