"""The outbox's Celery side: the tasks, and the hand-off to the broker that notifications.services queues through.

The hand-off lives here, next to the task it queues, so that services import tasks and never the other way round
(tests/test_structure.py: no import cycle); the tasks call notifications.sending and notifications.selectors.
"""

import logging
import smtplib

from celery import shared_task

from . import notice_sending, selectors, sending
from .channels import Transient

logger = logging.getLogger(__name__)

TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
    acks_late=True,
)
def email_send(self, *, email_id: int) -> bool:
    """Send one outbox e-mail; SMTP and network errors are retried with backoff."""
    return sending.email_send(email_id=email_id)


@shared_task
def email_sweep_pending() -> int:
    """Queue again e-mails left unsent (broker was down, retries ran out)."""
    return email_requeue(email_ids=selectors.email_ids_to_sweep())


def email_enqueue(email_id: int) -> None:
    """Hand the e-mail to Celery; if the broker is down the row stays pending for the sweep."""
    try:
        email_send.delay(email_id=email_id)
    except Exception as exc:  # broker unreachable: email_sweep_pending sends it later
        logger.warning("e-mail %s not queued, broker unavailable: %s", email_id, exc)


def email_requeue(*, email_ids: list[int]) -> int:
    """Hand these e-mails to Celery again. Return how many."""
    return _requeue(email_enqueue, email_ids)


def _requeue(enqueue, ids: list[int]) -> int:
    """What both outboxes' sweeps do with the rows they found: hand each to Celery again. Return how many."""
    for row_id in ids:
        enqueue(row_id)
    return len(ids)


@shared_task(
    bind=True,
    autoretry_for=(Transient,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=10,
    acks_late=True,
)
def notice_send(self, *, notice_id: int) -> bool:
    """Send one SMS or Zalo notice; a transient failure (timeout, provider busy, over its rate) retries with backoff."""
    return notice_sending.notice_send(notice_id=notice_id)


@shared_task
def notice_sweep_sending() -> int:
    """Queue again the notices left sending past their lease (their worker died between the claim and the answer)."""
    return _requeue(notice_enqueue, notice_sending.notice_reclaim())


def notice_enqueue(notice_id: int) -> None:
    """Hand the notice to Celery; if the broker is down the row stays pending (the operator's resend sends it)."""
    try:
        notice_send.delay(notice_id=notice_id)
    except Exception as exc:  # broker unreachable
        logger.warning("notice %s not queued, broker unavailable: %s", notice_id, exc)
