from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxIdpConfig(AppConfig):
    """The simulated national identity provider (/sandbox/idp/): django-oauth-toolkit with OpenID Connect."""

    name = "sandbox_idp"
    label = "sandbox_idp"
    verbose_name = _("Cổng định danh thử nghiệm")
    default_auto_field = "django.db.models.BigAutoField"
