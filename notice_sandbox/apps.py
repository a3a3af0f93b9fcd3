from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticeSandboxConfig(AppConfig):
    """The simulated SMS brandname gateway and Zalo OA API (/sandbox/sms/, /sandbox/zalo/): a stand-in that talks
    to the portal only over HTTP and imports nothing of it."""

    name = "notice_sandbox"
    label = "notice_sandbox"
    verbose_name = _("SMS và Zalo thử nghiệm")
    default_auto_field = "django.db.models.BigAutoField"
