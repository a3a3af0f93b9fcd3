"""Delivering the outbox: one dossier's records in sequence order, one at a time, each under its row's lock; and the
comparison with what the national side holds.

A record is sent only when every earlier record of its dossier is delivered: the sender takes the dossier's oldest
undelivered record and locks it (skip_locked: another worker on the same dossier makes this one stop, never send a
later record). Its outcome is written in the same transaction: delivered, or failed with the error and the time of
the next try (exponential backoff), which holds the dossier's later records back.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from common.page_cache import version_bump
from dossiers.models import Dossier

from . import adapters
from .constants import RecordKind, RecordState
from .models import OutboxRecord
from .payload import dossier_payload
from .selectors import CONFIRMED_VERSION

logger = logging.getLogger(__name__)


def backoff_seconds(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: doubled each time, capped."""
    return min(settings.NATIONAL_SYNC_BACKOFF * 2 ** max(attempts - 1, 0), settings.NATIONAL_SYNC_BACKOFF_MAX)


def _due_q(now) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def _head_locked(dossier_id: int) -> OutboxRecord | None:
    """The dossier's oldest undelivered record, locked, if it is due and no other worker holds it."""
    head = (OutboxRecord.objects.filter(dossier_id=dossier_id).exclude(state=RecordState.DELIVERED)
            .order_by("sequence").values_list("pk", flat=True).first())
    if head is None:
        return None
    return (OutboxRecord.objects.select_for_update(skip_locked=True)
            .filter(_due_q(timezone.now()), pk=head).exclude(state=RecordState.DELIVERED).first())


def dossier_deliver(*, dossier_id: int, adapter=None) -> tuple[int, float | None]:
    """Send the dossier's due records in order until one fails or none is left.

    Return (how many were delivered, seconds until the failed one's next try or None)."""
    adapter = adapter or adapters.current()
    sent = 0
    while True:
        with transaction.atomic():
            record = _head_locked(dossier_id)
            if record is None:
                return sent, None
            try:
                adapter.send(record)
            except adapters.NationalError as exc:
                _failed(record, str(exc))
                return sent, (record.next_attempt_at - timezone.now()).total_seconds() if record.next_attempt_at else None
            _delivered(record)
        sent += 1


def _delivered(record: OutboxRecord) -> None:
    record.state = RecordState.DELIVERED
    record.attempts += 1
    record.delivered_at = timezone.now()
    record.next_attempt_at = None
    record.save(update_fields=["state", "attempts", "delivered_at", "next_attempt_at"])


def _failed(record: OutboxRecord, error: str) -> None:
    """Count the attempt and put the next one off; after the last one, it waits for the operator's resend."""
    record.state = RecordState.FAILED
    record.attempts += 1
    record.last_error = error[:2000]
    record.next_attempt_at = (timezone.now() + timedelta(seconds=backoff_seconds(record.attempts))
                              if record.attempts < settings.NATIONAL_SYNC_MAX_ATTEMPTS else None)
    if record.next_attempt_at is None:
        record.last_error = f"[{record.attempts}] {record.last_error}"
    record.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])
    logger.warning("national sync: record %s (%s) failed, attempt %s: %s", record.pk, record, record.attempts, error)


def _heads_due(*, limit: int) -> list[int]:
    """The oldest undelivered record of each dossier that has been due for NATIONAL_SYNC_SWEEP_AFTER seconds (new, or
    failed and past its backoff; not given up)."""
    late = timezone.now() - timedelta(seconds=settings.NATIONAL_SYNC_SWEEP_AFTER)
    undelivered = OutboxRecord.objects.exclude(state=RecordState.DELIVERED)
    heads = undelivered.values("dossier_id").annotate(first=Min("sequence"))
    given_up = Q(state=RecordState.FAILED, next_attempt_at__isnull=True)
    due = undelivered.filter(Q(next_attempt_at__lte=late) | Q(next_attempt_at__isnull=True, created_at__lte=late)
                             ).exclude(given_up)
    ids = set(due.values_list("dossier_id", flat=True)[: limit * 4])
    firsts = {row["dossier_id"]: row["first"] for row in heads.filter(dossier_id__in=ids)}
    return sorted(pk for pk, d, seq in due.filter(dossier_id__in=ids).values_list("pk", "dossier_id", "sequence")
                  if firsts.get(d) == seq)[:limit]


def dossiers_lease(*, limit: int = 1000) -> list[int]:
    """Lease to a new task, for NATIONAL_SYNC_LEASE seconds, the dossiers whose next record is due and whose records
    no task holds; return them (the sweep queues their delivery).

    The lease is what keeps a dossier's task single: a dossier whose task is still in the broker's queue, or whose
    record a worker is sending (the head's row is locked: skip_locked passes over it), is not queued again, and of
    two sweeps at once each leases what the other did not. The lease covers all the dossier's undelivered records,
    so the task's next record is not taken by a sweep while the task moves on to it. A task lost with its message
    leaves the lease to expire, and the dossier is queued again then."""
    now = timezone.now()
    with transaction.atomic():
        free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
        dossier_ids = sorted(OutboxRecord.objects.select_for_update(skip_locked=True)
                             .filter(free, pk__in=_heads_due(limit=limit)).values_list("dossier_id", flat=True))
        _lease(dossier_ids, until=now + timedelta(seconds=settings.NATIONAL_SYNC_LEASE))
    return dossier_ids


def dossier_lease_renew(*, dossier_id: int, seconds: float) -> None:
    """The dossier's task queued its own retry in `seconds`: the lease holds the sweep off until it has had its go."""
    _lease([dossier_id], until=timezone.now() + timedelta(seconds=seconds + settings.NATIONAL_SYNC_LEASE))


def dossier_lease_release(*, dossier_id: int) -> None:
    """The dossier's task ended with nothing more to try now: the sweep may queue it again when a record is due."""
    _lease([dossier_id], until=None)


def _lease(dossier_ids: list[int], *, until) -> None:
    OutboxRecord.objects.filter(dossier_id__in=dossier_ids).exclude(state=RecordState.DELIVERED).update(
        leased_until=until)


def records_due_again(*, record_ids: list[int], reason: str = "") -> list[int]:
    """Make these records pending and due now; return their dossiers."""
    OutboxRecord.objects.filter(pk__in=record_ids).update(
        state=RecordState.PENDING, next_attempt_at=None, confirmed_at=None, delivered_at=None,
        **({"last_error": reason} if reason else {}),
    )
    return sorted(set(OutboxRecord.objects.filter(pk__in=record_ids).values_list("dossier_id", flat=True)))


def records_resync(*, record_ids: list[int]) -> list[int]:
    """A new record (new request id, next in sequence) with the whole dossier as it is now, for each of these records'
    dossiers: the national side holds another state for a message it already has, so sending that message again
    would change nothing. Return the dossiers."""
    dossier_ids = sorted(set(OutboxRecord.objects.filter(pk__in=record_ids).values_list("dossier_id", flat=True)))
    for dossier_id in dossier_ids:
        with transaction.atomic():
            # The moves' lock on the dossier's row: one writer of its sequence at a time.
            dossier = Dossier.objects.select_for_update(of=("self",)).select_related(
                "procedure", "agency", "owner").get(pk=dossier_id)
            last = OutboxRecord.objects.filter(dossier_id=dossier_id).order_by("-sequence").first()
            payload = dossier_payload(dossier)
            OutboxRecord.objects.create(
                dossier=dossier, sequence=last.sequence + 1, kind=RecordKind.DOSSIER,
                national_status=payload["TrangThaiHoSo"], channel=payload["HinhThuc"],
                procedure_code=payload["MaTTHC"], payload=payload,
            )
    return dossier_ids


def compare(*, days: int | None = None, adapter=None, batch: int = 100) -> dict:
    """Look up what the national side holds of the dossiers delivered in the last `days` days: confirm each record it
    holds (with the status it was sent with), and return the records it does not (lost) or holds otherwise."""
    adapter = adapter or adapters.current()
    since = timezone.now() - timedelta(days=days if days is not None else settings.NATIONAL_SYNC_COMPARE_DAYS)
    delivered = OutboxRecord.objects.filter(state=RecordState.DELIVERED, delivered_at__gte=since)
    dossier_ids = sorted(set(delivered.values_list("dossier_id", flat=True)))
    report = {"dossiers": len(dossier_ids), "confirmed": 0, "missing": [], "different": []}
    for start in range(0, len(dossier_ids), batch):
        records = list(OutboxRecord.objects.filter(dossier_id__in=dossier_ids[start:start + batch],
                                                   state=RecordState.DELIVERED).order_by("dossier_id", "sequence"))
        held = adapter.lookup(sorted({r.payload["MaHoSo"] for r in records}))
        _compare_batch(records, held, report, adapter)
    return report


def _compare_batch(records: list[OutboxRecord], held: dict, report: dict, adapter) -> None:
    now = timezone.now()
    confirm, unconfirm = [], []
    last_of: dict[int, OutboxRecord] = {}
    for record in records:
        last_of[record.dossier_id] = record
        if adapter.message_ids(record) <= getattr(held.get(record.payload["MaHoSo"]), "request_ids", frozenset()):
            confirm.append(record.pk)
        else:
            unconfirm.append(record.pk)
            report["missing"].append(record.pk)
    for record in last_of.values():
        there = held.get(record.payload["MaHoSo"])
        if there is not None and record.pk in confirm and there.status != record.national_status:
            report["different"].append(record.pk)
    changed = OutboxRecord.objects.filter(pk__in=confirm, confirmed_at__isnull=True).update(confirmed_at=now)
    changed += OutboxRecord.objects.filter(pk__in=unconfirm, confirmed_at__isnull=False).update(confirmed_at=None)
    report["confirmed"] += len(confirm)
    if changed:  # the service index's synced share moved
        version_bump(CONFIRMED_VERSION)
