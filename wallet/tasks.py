from celery import shared_task

from . import services


@shared_task
def wallet_expiry_remind() -> int:
    """E-mail the owners of papers about to expire, once each; drop blobs nothing references (Celery beat)."""
    return services.wallet_expiry_remind()
