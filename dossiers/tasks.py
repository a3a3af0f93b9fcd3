from datetime import timedelta

from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def dossier_drafts_purge() -> int:
    """Delete drafts left untouched for DRAFT_RETENTION_DAYS (Celery beat)."""
    drafts, _ = services.dossier_drafts_purge(older_than=timedelta(days=settings.DRAFT_RETENTION_DAYS))
    return drafts


@shared_task(soft_time_limit=60, time_limit=90)  # beyond SIGNATURES_UPLOAD_VERIFY_TIMEOUT: a parse that hangs
def dossier_file_signatures_check(*, file_id: int) -> None:
    """Verify the signatures of an uploaded PDF (queued after the upload commits)."""
    services.dossier_file_signatures_check(file_id=file_id)
