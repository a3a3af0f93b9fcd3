from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    name = "sandbox"
    label = "sandbox"
    verbose_name = _("Cổng thanh toán thử nghiệm")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the Celery tasks now, in every process, rather than when first used: a task
        # module imported after the Celery app is finalised is not always known to it.
        from . import tasks  # noqa: F401
