"""Public statistics on dossiers, every figure from one aggregate query (no per-dossier Python).

The figures follow the reception cohort: a dossier counts in the month (and the agency) it was
received in, and its outcome is what has happened to it since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dossiers.constants import DossierStatus, FeeStatus
from dossiers.models import Dossier, overdue_q

RESOLVED = Q(status__in=[DossierStatus.DONE, DossierStatus.RETURNED])


def _figures(today) -> dict:
    return {
        "received": Count("pk"),
        "resolved": Count("pk", filter=RESOLVED),
        # On time: finished (local date) on or before the due date (Decree 61/2018/NĐ-CP art. 2).
        "on_time": Count("pk", filter=RESOLVED & Q(finished_at__date__lte=F("due_date"))),
        "late": Count("pk", filter=RESOLVED & Q(finished_at__date__gt=F("due_date"))),
        "overdue": Count("pk", filter=overdue_q(today)),
        "online": Count("pk", filter=Q(is_online=True)),
        "paid": Count("pk", filter=Q(payment_status=FeeStatus.PAID)),
        "paid_online": Count("pk", filter=Q(payment_status=FeeStatus.PAID, paid_online=True)),
        "rated": Count("rating"),
        "rating": Avg("rating"),
    }


COUNTS = ("received", "resolved", "on_time", "late", "overdue", "online", "paid", "paid_online", "rated")


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Figures:
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    online: int = 0
    paid: int = 0
    paid_online: int = 0
    rated: int = 0
    rating: float | None = None
    label: str = ""
    key: object = None

    @classmethod
    def of(cls, row: dict, *, label: str = "", key=None) -> Figures:
        values = {name: row.get(name) or 0 for name in COUNTS}
        values["rating"] = round(float(row["rating"]), 2) if row.get("rating") is not None else None
        return cls(**values, label=label, key=key)

    @property
    def on_time_share(self) -> float | None:
        return _share(self.on_time, self.resolved)

    @property
    def online_share(self) -> float | None:
        return _share(self.online, self.received)

    @property
    def paid_online_share(self) -> float | None:
        return _share(self.paid_online, self.paid)


@dataclass(frozen=True)
class Statistics:
    year: int
    month: int | None
    total: Figures
    by_agency: list[Figures]
    by_month: list[Figures]  # the 12 months of the year (or the one chosen), empty months as zeros


def _received(*, year: int, month: int | None, agency=None) -> QuerySet[Dossier]:
    qs = Dossier.objects.filter(received_at__isnull=False, received_at__year=year)
    if month:
        qs = qs.filter(received_at__month=month)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs


def dossier_statistics(*, year: int, month: int | None = None, agency=None) -> Statistics:
    """Figures for the period (a year, or one month of it), in total, per agency and per month. Three queries."""
    today = timezone.localdate()
    figures = _figures(today)
    qs = _received(year=year, month=month, agency=agency)
    total = Figures.of(qs.aggregate(**figures))
    by_agency = [
        Figures.of(row, label=row["agency__name"], key=row["agency__code"])
        for row in qs.values("agency__code", "agency__name").annotate(**figures).order_by("agency__name")
    ]
    months = {
        _local(row["month"]).month: row
        for row in qs.annotate(month=TruncMonth("received_at")).values("month").annotate(**figures).order_by("month")
    }
    by_month = [
        Figures.of(months.get(m, {}), label=f"T{m}", key=m) for m in ([month] if month else range(1, 13))
    ]
    return Statistics(year=year, month=month, total=total, by_agency=by_agency, by_month=by_month)


def _local(value) -> datetime:
    """TruncMonth gives an aware datetime on PostgreSQL and may give a naive one elsewhere."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value
