"""Public statistics on dossiers, read from MonthFigures (agencies × months rows) plus the few dossiers whose
clock is running, for "overdue as of today": nothing here reads the whole dossiers table.

The figures follow the reception cohort: a dossier counts in the month (and the agency) it was
received in, and its outcome is what has happened to it since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import ExtractMonth, TruncMonth
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from dossiers.models import Dossier, overdue_q

from .models import COUNTS, MonthFigures


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


FIELDS = (*COUNTS, "overdue")

# A month's short label, under the chart's bars and in the table: "T3" (tháng 3) in Vietnamese, "Mar" in English.
MONTH_LABELS = (
    pgettext_lazy("month, abbreviated", "T1"),
    pgettext_lazy("month, abbreviated", "T2"),
    pgettext_lazy("month, abbreviated", "T3"),
    pgettext_lazy("month, abbreviated", "T4"),
    pgettext_lazy("month, abbreviated", "T5"),
    pgettext_lazy("month, abbreviated", "T6"),
    pgettext_lazy("month, abbreviated", "T7"),
    pgettext_lazy("month, abbreviated", "T8"),
    pgettext_lazy("month, abbreviated", "T9"),
    pgettext_lazy("month, abbreviated", "T10"),
    pgettext_lazy("month, abbreviated", "T11"),
    pgettext_lazy("month, abbreviated", "T12"),
)


def figure_cells(*, year: int, month: int | None = None, agency=None) -> dict[tuple, list[int]]:
    """{(agency code, agency name, month): [the counts of FIELDS]} for the period: two small queries."""
    rows = MonthFigures.objects.filter(month__year=year)
    if month:
        rows = rows.filter(month__month=month)
    if agency is not None:
        rows = rows.filter(agency=agency)
    grouped = rows.values_list("agency__code", "agency__name", ExtractMonth("month"), *COUNTS)
    cells = {(code, name, m): [*counts, 0] for code, name, m, *counts in grouped}
    for key, overdue in _overdue(year=year, month=month, agency=agency).items():
        cells.setdefault(key, [0] * len(FIELDS))[-1] = overdue
    return cells


def figures_sum(rows: list[list[int]], *, label: str = "", key=None) -> Figures:
    """One Figures from many cells (plain sums: a year has agencies × 12 of them)."""
    totals = [sum(column) for column in zip(*rows)] if rows else [0] * len(FIELDS)
    return Figures(**dict(zip(FIELDS, totals)), label=label, key=key)


def _overdue(*, year: int, month: int | None, agency) -> dict[tuple, int]:
    """Dossiers past their due date with the clock running, as of today (overdue_q), counted from the partial
    index dossier_clock_received alone (received_at, agency, due_date: no table read)."""
    qs = Dossier.objects.filter(overdue_q(timezone.localdate()), received_at__year=year)
    if month:
        qs = qs.filter(received_at__month=month)
    if agency is not None:
        qs = qs.filter(agency=agency)
    rows = (
        qs.values("agency__code", "agency__name", month=TruncMonth("received_at"))
        .annotate(n=Count("agency")).order_by()
    )
    counts: dict[tuple, int] = {}
    for r in rows:
        key = (r["agency__code"], r["agency__name"], _local(r["month"]).month)
        counts[key] = counts.get(key, 0) + r["n"]
    return counts


def dossier_statistics(*, year: int, month: int | None = None, agency=None) -> Statistics:
    """Figures for the period (a year, or one month of it), in total, per agency and per month."""
    cells = figure_cells(year=year, month=month, agency=agency)
    agencies: dict[tuple, list] = {}
    months: dict[int, list] = {}
    for (code, name, m), counts in cells.items():
        agencies.setdefault((name, code), []).append(counts)
        months.setdefault(m, []).append(counts)
    return Statistics(
        year=year,
        month=month,
        total=figures_sum(list(cells.values())),
        by_agency=[figures_sum(rows, label=name, key=code) for (name, code), rows in sorted(agencies.items())],
        by_month=[figures_sum(months.get(m, []), label=MONTH_LABELS[m - 1], key=m) for m in ([month] if month else range(1, 13))],
    )


def _local(value) -> date:
    """TruncMonth gives an aware datetime on PostgreSQL and may give a naive one elsewhere."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value
