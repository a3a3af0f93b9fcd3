from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "payments.sandbox"
    label = "sandbox"
    verbose_name = "Cổng thanh toán thử nghiệm"
    default_auto_field = "django.db.models.BigAutoField"
