from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo catalogue and accounts (`seed_demo`), synthetic procedures for load tests (`generate_procedures`).

    Above every app: it may write to any of them, and none imports it.
    """

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
