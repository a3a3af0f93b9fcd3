from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Thư điện tử"

    def ready(self):
        # Register the Celery tasks now, in every process, rather than when first used: a task
        # module imported after the Celery app is finalised is not always known to it.
        from . import tasks  # noqa: F401
