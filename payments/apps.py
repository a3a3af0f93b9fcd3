from django.apps import AppConfig
from django.db.models.signals import post_save


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Thanh toán"

    def ready(self):
        # Importing the plugins registers them (@register) in payments.gateways.registry.
        from dossiers.models import Dossier

        from . import services, tasks  # noqa: F401  (tasks: registered in every process, see sandbox.apps)
        from .gateways import momo, vnpay  # noqa: F401

        # dossiers must not import payments: the fee items are fixed when submission saves fee_total.
        post_save.connect(services.dossier_snapshot_on_submit, sender=Dossier,
                          dispatch_uid="payments_fee_snapshot")
