from celery import shared_task

from . import services


@shared_task
def audit_prune() -> int:
    """Delete access records older than AUDIT_RETENTION_DAYS."""
    return services.access_prune()
