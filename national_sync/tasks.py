"""The outbox's Celery side: deliver one dossier's records, sweep the due ones, compare with the national side.

The hand-off to the broker lives here, next to the tasks (services import tasks, never the other way round).
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from . import delivery

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def outbox_deliver(dossier_id: int) -> int:
    """Deliver a dossier's due records in order; a failure is tried again after its backoff (and by the sweep)."""
    if not settings.NATIONAL_SYNC_ENABLED:
        return 0
    sent, retry_in = delivery.dossier_deliver(dossier_id=dossier_id)
    if retry_in is not None and not settings.CELERY_TASK_ALWAYS_EAGER:
        delivery.dossier_lease_renew(dossier_id=dossier_id, seconds=max(retry_in, 0.0))
        outbox_deliver.apply_async((dossier_id,), countdown=max(retry_in, 0.0))
    else:
        delivery.dossier_lease_release(dossier_id=dossier_id)
    return sent


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    """Queue every dossier whose next record is due and no task holds (the broker was down, a retry's message was
    lost): each under a lease, so that a dossier is never queued again while its task waits or runs."""
    if not settings.NATIONAL_SYNC_ENABLED:
        return 0
    dossiers = delivery.dossiers_lease()
    for dossier_id in dossiers:
        outbox_enqueue(dossier_id)
    return len(dossiers)


@shared_task(ignore_result=True)
def outbox_compare(days: int | None = None) -> dict:
    """Compare what the national side holds with what was delivered; queue again what it lost or holds otherwise."""
    if not settings.NATIONAL_SYNC_ENABLED:
        return {}
    report = delivery.compare(days=days)
    if report["missing"] or report["different"]:
        logger.warning("national sync: drift, %s records missing at the national side, %s dossiers held otherwise",
                       len(report["missing"]), len(report["different"]))
    if report["missing"]:
        outbox_requeue(record_ids=report["missing"], reason="Đối chiếu: Cổng quốc gia không có bản ghi này; gửi lại.")
    for dossier_id in delivery.records_resync(record_ids=report["different"]):
        outbox_enqueue(dossier_id)
    return report


def outbox_enqueue(dossier_id: int) -> None:
    """Hand a dossier to Celery; if the broker is down its records stay pending for the sweep."""
    try:
        outbox_deliver.delay(dossier_id)
    except Exception as exc:  # broker unreachable: outbox_sweep sends it later
        logger.warning("national sync: dossier %s not queued, broker unavailable: %s", dossier_id, exc)


def outbox_requeue(*, record_ids: list[int], reason: str = "") -> int:
    """Make these records due again and queue their dossiers once committed. Return how many."""
    with transaction.atomic():
        dossiers = delivery.records_due_again(record_ids=record_ids, reason=reason)
        transaction.on_commit(lambda: [outbox_enqueue(d) for d in dossiers])
    return len(record_ids)
