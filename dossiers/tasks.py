from datetime import timedelta

from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def dossier_drafts_purge() -> int:
    """Delete drafts left untouched for DRAFT_RETENTION_DAYS (Celery beat)."""
    drafts, _ = services.dossier_drafts_purge(older_than=timedelta(days=settings.DRAFT_RETENTION_DAYS))
    return drafts
