from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo catalogue and accounts (`seed_demo`), synthetic procedures for load tests (`generate_procedures`).

    Above every app: it may write to any of them, and none imports it.
    """

    name = "demo"
    verbose_name = _("Dữ liệu mẫu")
