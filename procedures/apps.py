from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Thủ tục hành chính")

    def ready(self):
        from . import signals

        signals.connect_catalogue_version()  # after the search column's receivers: see procedures/signals.py
