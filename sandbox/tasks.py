from celery import shared_task

from . import results
from .constants import MAX_IPN_RETRIES


@shared_task(bind=True, max_retries=MAX_IPN_RETRIES, acks_late=True)
def deliver_ipn(self, *, transaction_id: int, copy: int = 1) -> bool:
    """Deliver one IPN; until the merchant acknowledges it, try again later, waiting longer each time."""
    if results.ipn_deliver(transaction_id=transaction_id, copy=copy):
        return True
    if self.request.retries >= self.max_retries:
        return False
    raise self.retry(countdown=results.ipn_retry_delay(retries=self.request.retries))
