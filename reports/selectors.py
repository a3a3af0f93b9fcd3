"""Public statistics on dossiers, read from DailyFigures (one grouped query) plus the few dossiers whose
clock is running, for "overdue as of today": nothing here reads the whole dossiers table.

The figures follow the reception cohort: a dossier counts in the month (and the agency) it was
received in, and its outcome is what has happened to it since.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, TruncMonth
from django.utils import timezone

from dossiers.constants import CLOCK_RUNNING
from dossiers.models import Dossier

from .models import COUNTS, DailyFigures


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
    owing_fee: int = 0
    paid: int = 0
    paid_online: int = 0
    electronic_result: int = 0
    components: int = 0
    digitised: int = 0
    rated: int = 0
    rating_sum: int = 0
    satisfied: int = 0
    processing_seconds: int = 0
    label: str = ""
    key: object = None

    @classmethod
    def of(cls, row: dict, *, label: str = "", key=None) -> Figures:
        return cls(**{name: row.get(name) or 0 for name in (*COUNTS, "overdue")}, label=label, key=key)

    def __add__(self, other: Figures) -> Figures:
        return replace(self, **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)
                                if f.name not in ("label", "key")})

    @property
    def rating(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None

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


def figures_by_agency_month(*, year: int, month: int | None = None, agency=None) -> dict[tuple, Figures]:
    """{(agency code, agency name, month): Figures} for the period: two small queries."""
    rows = DailyFigures.objects.filter(day__year=year)
    if month:
        rows = rows.filter(day__month=month)
    if agency is not None:
        rows = rows.filter(agency=agency)
    grouped = (
        rows.values("agency__code", "agency__name", month=ExtractMonth("day"))
        .annotate(**{name: Sum(name) for name in COUNTS})
        .order_by()
    )
    result = {(r["agency__code"], r["agency__name"], r["month"]): Figures.of(r) for r in grouped}
    for (code, name, m), overdue in _overdue(year=year, month=month, agency=agency).items():
        key = (code, name, m)
        result[key] = replace(result.get(key, Figures()), overdue=overdue)
    return result


def _overdue(*, year: int, month: int | None, agency) -> dict[tuple, int]:
    """Dossiers past their due date with the clock running, as of today (the same rule as overdue_q: a
    supplement request stops the clock, done and final ones are not overdue); the partial index
    dossier_clock_received holds only these few."""
    qs = Dossier.objects.filter(
        status__in=sorted(CLOCK_RUNNING), received_at__year=year, due_date__lt=timezone.localdate()
    )
    if month:
        qs = qs.filter(received_at__month=month)
    if agency is not None:
        qs = qs.filter(agency=agency)
    rows = qs.values("agency__code", "agency__name", month=TruncMonth("received_at")).annotate(n=Count("pk")).order_by()
    counts: dict[tuple, int] = {}
    for r in rows:
        key = (r["agency__code"], r["agency__name"], _local(r["month"]).month)
        counts[key] = counts.get(key, 0) + r["n"]
    return counts


def dossier_statistics(*, year: int, month: int | None = None, agency=None) -> Statistics:
    """Figures for the period (a year, or one month of it), in total, per agency and per month."""
    cells = figures_by_agency_month(year=year, month=month, agency=agency)
    total, agencies, months = Figures(), {}, {}
    for (code, name, m), figures in cells.items():
        total = total + figures
        agencies[(name, code)] = agencies.get((name, code), Figures(label=name, key=code)) + figures
        months[m] = months.get(m, Figures()) + figures
    by_agency = [agencies[k] for k in sorted(agencies)]
    by_month = [
        replace(months.get(m, Figures()), label=f"T{m}", key=m) for m in ([month] if month else range(1, 13))
    ]
    return Statistics(year=year, month=month, total=total, by_agency=by_agency, by_month=by_month)


def _local(value) -> date:
    """TruncMonth gives an aware datetime on PostgreSQL and may give a naive one elsewhere."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value
