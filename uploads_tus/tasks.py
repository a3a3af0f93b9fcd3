from celery import shared_task

from . import services


@shared_task
def tus_uploads_expire() -> int:
    """Delete resumable uploads past their expiry, with their parts (Celery beat)."""
    return services.tus_uploads_expire()
