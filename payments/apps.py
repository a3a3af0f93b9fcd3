from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Thanh toán")

    def ready(self):
        from common.events import DOSSIER_SUBMITTED

        # Importing the plugins registers them (@register) in payments.gateways.registry;
        # importing services registers the receipt attachment (receipts, @attachment_builder).
        from . import services, tasks  # noqa: F401  (tasks: registered in every process, see sandbox.apps)
        from .gateways import momo, vnpay  # noqa: F401

        # A submitted dossier's fee lines are fixed in its submission's transaction.
        DOSSIER_SUBMITTED.subscribe(services.dossier_fees_snapshot)
