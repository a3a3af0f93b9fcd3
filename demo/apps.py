from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo catalogue and accounts (`seed_demo`), synthetic procedures for load tests (`generate_procedures`), the
    demo mailbox (/tai-khoan/hop-thu/) and the benchmarks' ping (/bench/ping/).

    A development stand-in, above every app: it may write to any of them, and none imports it. Installed only with
    DEMO_MODE or BENCH_ENDPOINTS (portal/settings/base.py); the mailbox is routed with DEMO_MODE, the ping with
    BENCH_ENDPOINTS.
    """

    name = "demo"
    verbose_name = _("Dữ liệu mẫu")
