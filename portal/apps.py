from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("Cổng Dịch vụ công")

    def ready(self):
        # The Vietnamese collation on every SQLite connection opened from now on; the captcha's deploy check; the
        # project's own checks (development stand-ins switched on).
        from common import captcha, collation  # noqa: F401

        from . import checks  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False  # named explicitly in INSTALLED_APPS
    default_site = "portal.admin_site.PortalAdminSite"
