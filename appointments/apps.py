from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "appointments"
    verbose_name = _("Lịch hẹn tại Bộ phận một cửa")

    def ready(self):
        from . import calendar_files, links  # noqa: F401 - registers the e-mail's attachment and link builders
