"""Public statistics on dossiers, read from MonthFigures (agencies × months rows) and, for "overdue as of
today", ClockFigures (the dossiers whose clock runs, per agency, month and due date): nothing here reads the
dossiers table.

The figures follow the reception cohort: a dossier counts in the month (and the agency) it was
received in, and its outcome is what has happened to it since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from procedures.models import Agency

from .models import COUNTS, ClockFigures, MonthFigures


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
    # Dossiers submitted in the period, and those whose latest record the national portal confirmed (national_sync:
    # not from the figures' tables; set by the service index).
    submitted: int = 0
    synced: int = 0
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
    """{(agency code, agency name, month): [the counts of FIELDS]} for the period, from one query (_CELLS_SQL)."""
    first = date(year, month or 1, 1)
    end = date(year + 1, 1, 1) if not month else (first + timedelta(days=32)).replace(day=1)
    ops = connection.ops
    period = [ops.adapt_datefield_value(first), ops.adapt_datefield_value(end)]
    just_agency = [agency.pk] if agency is not None else []
    sql = _CELLS_SQL.format(
        counts=", ".join(f"f.{name}" for name in COUNTS), zeros=", ".join("0" for _ in COUNTS),
        months=MonthFigures._meta.db_table, agencies=Agency._meta.db_table, clocks=ClockFigures._meta.db_table,
        month_agency=" AND f.agency_id = %s" if agency is not None else "",
        clock_agency=" AND c.agency_id = %s" if agency is not None else "",
    )
    params = [*period, *just_agency, *period, ops.adapt_datefield_value(timezone.localdate()), *just_agency]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names: dict[int, tuple[str, str]] = {}
    cells: dict[tuple, list[int]] = {}
    overdue: dict[tuple[int, int], int] = {}
    for agency_id, code, name, first_day, *counts, n in rows:
        m = int(str(first_day)[5:7])  # the month's first day: a date, or its text on SQLite
        if code is None:  # an overdue row: its counts are padding
            overdue[(agency_id, m)] = n
        else:
            names[agency_id] = (code, name)
            cells[(code, name, m)] = [*counts, 0]
    unnamed = {agency_id for agency_id, _m in overdue} - names.keys()
    if unnamed:  # only while a month row is missing (figures_reconcile would report it)
        names.update({a.pk: (a.code, a.name) for a in Agency.objects.filter(pk__in=unnamed)})
    for (agency_id, m), n in overdue.items():
        cells.setdefault((*names[agency_id], m), [0] * len(FIELDS))[-1] = n
    return cells


# The month rows of the period (agencies × months) then, UNION ALL, the dossiers overdue as of today per agency
# and month: those whose clock runs (ClockFigures) due before today (dossiers.models.overdue_q). A few rows per
# agency and month, where counting the dossiers under way themselves read tens of thousands at a million.
#
# SQL written out, not built by the ORM: one round trip (each costs more than the rows on a busy server), and
# no query to compile per page.
_CELLS_SQL = """
SELECT f.agency_id, a.code, a.name, f.month, {counts}, 0
FROM {months} f JOIN {agencies} a ON a.id = f.agency_id
WHERE f.month >= %s AND f.month < %s{month_agency}
UNION ALL
SELECT c.agency_id, NULL, NULL, c.month, {zeros}, SUM(c.running)
FROM {clocks} c
WHERE c.month >= %s AND c.month < %s AND c.due_date < %s{clock_agency}
GROUP BY c.agency_id, c.month
"""


def figures_sum(rows: list[list[int]], *, label: str = "", key=None) -> Figures:
    """One Figures from many cells (plain sums: a year has agencies × 12 of them)."""
    totals = [sum(column) for column in zip(*rows)] if rows else [0] * len(FIELDS)
    return Figures(**dict(zip(FIELDS, totals)), label=label, key=key)


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
