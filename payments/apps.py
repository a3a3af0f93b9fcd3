from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Thanh toán")

    def ready(self):
        from dossiers.services import dossier_on_submission

        # Importing the plugins registers them (@register) in payments.gateways.registry;
        # importing services registers the receipt attachment (receipts, @attachment_builder).
        from . import services, signals, tasks  # noqa: F401  (tasks: registered in every process, see sandbox.apps)
        from .gateways import momo, vnpay  # noqa: F401

        # dossiers must not import payments: its submission calls the fee snapshot through this list.
        dossier_on_submission(services.dossier_fees_snapshot)
