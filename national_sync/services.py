"""The outbox's writes: a record per submission and per change the national portal follows, in the transaction of
the change (the DOSSIER_* subscribers); a delivery's outcome; the operator's resend; the comparison's repairs.

A delivery's outcome is written by national_sync.delivery (delivered, failed), a resend's by records_requeue.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from dossiers.constants import DossierStatus

from .constants import RecordKind
from .models import OutboxRecord
from .payload import TRACKED, dossier_payload
from .tasks import outbox_enqueue

logger = logging.getLogger(__name__)


def outbox_dossier_submitted(*, dossier) -> None:
    """DOSSIER_SUBMITTED: the dossier's first record, the whole dossier (status 1)."""
    if settings.NATIONAL_SYNC_ENABLED:
        _record_add(dossier, kind=RecordKind.DOSSIER, payload=dossier_payload(dossier))


def outbox_dossier_moved(*, dossier) -> None:
    """DOSSIER_MOVED: a record when what the national portal follows changed (a new status: a step; the same
    status with a new due date, result or supplement: progress). Fee and rating changes alone make none."""
    if not settings.NATIONAL_SYNC_ENABLED or dossier.status == DossierStatus.DRAFT:
        return
    payload = dossier_payload(dossier)
    last = OutboxRecord.objects.filter(dossier=dossier).order_by("-sequence").only("payload").first()
    if last is None:  # a dossier submitted before sync was switched on: it goes whole
        _record_add(dossier, kind=RecordKind.DOSSIER, payload=payload)
    elif last.payload.get("TrangThaiHoSo") != payload["TrangThaiHoSo"]:
        _record_add(dossier, kind=RecordKind.STATUS, payload=payload)
    elif any(last.payload.get(name) != payload[name] for name in TRACKED):
        _record_add(dossier, kind=RecordKind.PROGRESS, payload=payload)


def _record_add(dossier, *, kind: str, payload: dict) -> OutboxRecord:
    """Append a record to the dossier's sequence (the dossier's row is locked by the move that emits); the sender
    is told after commit."""
    last = OutboxRecord.objects.filter(dossier=dossier).aggregate(n=Max("sequence"))["n"] or 0
    record = OutboxRecord.objects.create(
        dossier=dossier, sequence=last + 1, kind=kind, national_status=payload["TrangThaiHoSo"],
        channel=payload["HinhThuc"], procedure_code=payload["MaTTHC"], payload=payload,
    )
    transaction.on_commit(lambda: outbox_enqueue(dossier.pk))
    return record


def records_requeue(*, record_ids, reason: str = "") -> int:
    """Make these records due again now (the operator's resend; the comparison's repair). Return how many."""
    from .tasks import outbox_requeue

    return outbox_requeue(record_ids=list(record_ids), reason=reason)
