from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxDvcqgConfig(AppConfig):
    name = "sandbox_dvcqg"
    label = "sandbox_dvcqg"
    verbose_name = _("Cổng DVC quốc gia thử nghiệm")
    default_auto_field = "django.db.models.BigAutoField"
