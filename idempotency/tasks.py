import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task
def idempotency_keys_purge() -> int:
    """Delete idempotency keys older than IDEMPOTENCY_RETENTION_HOURS."""
    deleted = services.idempotency_keys_purge(older_than=timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS))
    logger.info("idempotency keys purged: %d", deleted)
    return deleted
