from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsTusConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "uploads_tus"
    verbose_name = _("Tải tệp lên có thể tiếp tục (tus)")
