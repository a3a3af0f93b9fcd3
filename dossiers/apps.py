from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Hồ sơ"

    def ready(self):
        # Register the Celery tasks in every process (as notifications does): beat names them by path.
        from . import tasks  # noqa: F401
