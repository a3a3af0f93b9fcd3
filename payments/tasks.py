from celery import shared_task

from . import services


@shared_task(acks_late=True)
def payments_reconcile() -> dict:
    """Celery beat: ask the gateways about payments left pending; close the expired ones."""
    return services.payments_reconcile()
