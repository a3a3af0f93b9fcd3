from datetime import timedelta

from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def idempotency_keys_purge() -> int:
    """Delete idempotency keys older than IDEMPOTENCY_RETENTION_HOURS."""
    return services.idempotency_keys_purge(older_than=timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS))
