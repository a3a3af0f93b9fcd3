from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Thanh toán"

    def ready(self):
        # Importing the plugins registers them (@register) in payments.gateways.registry.
        from .gateways import momo, vnpay  # noqa: F401
