"""DailyFigures: kept in step with the dossiers by recomputing a (day, agency, procedure) row from the dossiers
table whenever one of its dossiers changes, and checked against the whole table by figures_reconcile.

Recomputing the row (rather than adding a +1/−1 delta) makes a refresh idempotent and lets a dossier
changed outside the moves (a rating, a payment) be counted by the same code. The row is locked first and
the dossiers read after, so of two moves in one row the later one counts both: the figures are exact,
not last-writer-wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import (
    BooleanField, Count, DurationField, ExpressionWrapper, F, Func, OuterRef, Q, Subquery, Sum, Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import Exact
from django.utils import timezone

from dossiers.constants import CLOCK_RUNNING, FEE_PAID, DossierStatus, FileKind
from dossiers.models import Dossier, DossierFile, electronic_result_q
from procedures.constants import Channel, ComponentRole
from procedures.models import RequiredComponent
from common.page_cache import PageVersion, version_bump
from procedures.selectors import catalogue_version
from national_sync.selectors import CONFIRMED_VERSION

from .models import COUNTS, ClockFigures, DailyFigures, MonthFigures

RESOLVED = Q(status__in=[DossierStatus.DONE, DossierStatus.RETURNED])


class _ConditionTicked(Func):
    """True when the dossier's answers tick the component's condition: component_answers[str(id)]["applies"]
    (a key named by the component's id, which a JSON lookup cannot take from a column)."""

    output_field = BooleanField()
    arity = 2  # the dossier's answers, the component's id

    def as_postgresql(self, compiler, connection, **extra):
        (answers, answers_params), (pk, pk_params) = (compiler.compile(e) for e in self.source_expressions)
        sql = f"COALESCE((({answers}) -> CAST({pk} AS text) ->> 'applies')::boolean, false)"
        return sql, (*answers_params, *pk_params)

    def as_sqlite(self, compiler, connection, **extra):
        (answers, answers_params), (pk, pk_params) = (compiler.compile(e) for e in self.source_expressions)
        sql = f"""COALESCE(json_extract({answers}, '$."' || CAST({pk} AS text) || '".applies'), 0) = 1"""
        return sql, (*answers_params, *pk_params)


def _asked(component_path: str = "") -> Q:
    """procedures.components.mandatory_uploads as a filter on RequiredComponent (under `component_path`) inside a
    subquery of dossiers: required uploads of every case or the dossier's, of every channel or the dossier's
    (online, else the counter), whose condition is none or ticked. Papers shown at the counter and notes are
    never an upload, so they count neither as asked nor as digitised."""
    p = component_path
    online = Exact(OuterRef("is_online"), True)
    return (
        Q(**{f"{p}is_required": True, f"{p}role": ComponentRole.UPLOAD})
        & (Q(**{f"{p}case": ""}) | Q(**{f"{p}case": OuterRef("case")}))
        & (Q(**{f"{p}channel": ""}) | Q(online, **{f"{p}channel": Channel.ONLINE})
           | (Q(**{f"{p}channel": Channel.COUNTER}) & ~Q(online)))
        & (Q(**{f"{p}condition": ""}) | Q(ticked=True))
    )


def _aggregates() -> dict:
    """One definition of every count, as SQL aggregates over received dossiers (PostgreSQL and SQLite)."""
    required = (
        RequiredComponent.objects.filter(procedure=OuterRef("procedure_id"))
        .annotate(ticked=_ConditionTicked(OuterRef("component_answers"), F("pk")))
        .filter(_asked())
        .order_by().values("procedure").annotate(n=Count("pk")).values("n")
    )
    # A component is digitised when it has a file in the dossier: uploaded with it, scanned by the clerk, or
    # sent as a supplement (the result's files are the agency's, not the dossier's).
    digitised = (
        DossierFile.objects.filter(dossier=OuterRef("pk"), kind__in=[FileKind.APPLICATION, FileKind.SUPPLEMENT])
        .annotate(ticked=_ConditionTicked(OuterRef("component_answers"), F("component_id")))
        .filter(_asked("component__"))
        .order_by().values("dossier").annotate(n=Count("component", distinct=True)).values("n")
    )
    processing = ExpressionWrapper(F("finished_at") - F("received_at"), output_field=DurationField())
    return {
        "received": Count("pk"),
        "resolved": Count("pk", filter=RESOLVED),
        # On time: finished (local date) on or before the due date (Decree 61/2018/NĐ-CP art. 2).
        "on_time": Count("pk", filter=RESOLVED & Q(finished_at__date__lte=F("due_date"))),
        "late": Count("pk", filter=RESOLVED & Q(finished_at__date__gt=F("due_date"))),
        "online": Count("pk", filter=Q(is_online=True)),
        "owing_fee": Count("pk", filter=Q(fee_total__gt=0, fee_exempt=False)),
        # Paid, whatever was given back since (a refund does not undo that the fee was paid, online or not).
        "paid": Count("pk", filter=Q(payment_status__in=sorted(FEE_PAID))),
        "paid_online": Count("pk", filter=Q(payment_status__in=sorted(FEE_PAID), paid_online=True)),
        # Dossier.electronic_result_promised: a fully online procedure's copy counts whatever the paper's way.
        "electronic_result": Count("pk", filter=RESOLVED & electronic_result_q()),
        "components": Sum(Coalesce(Subquery(required), Value(0))),
        "digitised": Sum(Coalesce(Subquery(digitised), Value(0))),
        "rated": Count("rating"),
        "rating_sum": Sum("rating"),
        "satisfied": Count("pk", filter=Q(rating__gte=4)),
        "processing": Sum(processing, filter=RESOLVED & Q(finished_at__isnull=False)),
    }


def _counts(row: dict) -> dict:
    values = {name: row.get(name) or 0 for name in COUNTS if name != "processing_seconds"}
    processing = row.get("processing")
    values["processing_seconds"] = int(processing.total_seconds()) if isinstance(processing, timedelta) else int(processing or 0)
    return values


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass(frozen=True)
class Key:
    day: date
    agency_id: int
    procedure_id: int


def figures_key(dossier: Dossier) -> Key | None:
    """The row a dossier counts in: its local reception day, agency and procedure (None before reception)."""
    if dossier.received_at is None:
        return None
    return Key(timezone.localdate(dossier.received_at), dossier.agency_id, dossier.procedure_id)


def figures_refresh(*, dossier: Dossier) -> None:
    """Recompute the row the dossier counts in, from the dossiers table (called when a dossier changes)."""
    key = figures_key(dossier)
    if key is not None:
        figures_refresh_key(key=key)


def figures_refresh_key(*, key: Key) -> None:
    start, end = _day_range(key.day)
    with transaction.atomic():
        DailyFigures.objects.bulk_create(
            [DailyFigures(day=key.day, agency_id=key.agency_id, procedure_id=key.procedure_id)], ignore_conflicts=True
        )
        row = DailyFigures.objects.select_for_update().get(
            day=key.day, agency_id=key.agency_id, procedure_id=key.procedure_id
        )
        counted = Dossier.objects.filter(
            agency_id=key.agency_id, procedure_id=key.procedure_id, received_at__gte=start, received_at__lt=end
        ).aggregate(**_aggregates())
        values = _counts(counted)
        figures_changed()
        if values["received"]:
            DailyFigures.objects.filter(pk=row.pk).update(**values)
        else:
            row.delete()
        _month_refresh(agency_id=key.agency_id, month=key.day.replace(day=1))


def _month_refresh(*, agency_id: int, month: date) -> None:
    """Recompute the agency's month from its day rows, and its dossiers whose clock runs per due date, under
    the month row's lock (always taken after a day row's: the same order in every transaction, so no
    deadlock)."""
    MonthFigures.objects.bulk_create([MonthFigures(month=month, agency_id=agency_id)], ignore_conflicts=True)
    row = MonthFigures.objects.select_for_update().get(month=month, agency_id=agency_id)
    _clock_refresh(agency_id=agency_id, month=month)
    end = (month + timedelta(days=32)).replace(day=1)
    summed = DailyFigures.objects.filter(agency_id=agency_id, day__gte=month, day__lt=end).aggregate(
        **{name: Sum(name) for name in COUNTS}
    )
    if summed["received"]:
        MonthFigures.objects.filter(pk=row.pk).update(**{name: summed[name] or 0 for name in COUNTS})
    else:
        row.delete()


# The states in which a dossier's clock runs (dossiers.models.overdue_q, less the date): ClockFigures counts them.
RUNNING = Q(status__in=sorted(CLOCK_RUNNING), due_date__isnull=False)


def _clock_refresh(*, agency_id: int, month: date) -> None:
    """Recount the agency's dossiers received in the month whose clock runs, per due date (a few dozen rows,
    from the partial index dossier_clock_received), and replace its ClockFigures rows with them."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine((month + timedelta(days=32)).replace(day=1), time.min))
    counted = (
        Dossier.objects.filter(RUNNING, agency_id=agency_id, received_at__gte=start, received_at__lt=end)
        .values_list("due_date").annotate(n=Count("agency")).order_by()
    )
    ClockFigures.objects.filter(month=month, agency_id=agency_id).delete()
    ClockFigures.objects.bulk_create(
        [ClockFigures(month=month, agency_id=agency_id, due_date=due, running=n) for due, n in counted]
    )


def clocks_computed() -> dict[tuple, int]:
    """{(month, agency id, due date): dossiers whose clock runs} as the dossiers table says it should be."""
    rows = (
        Dossier.objects.filter(RUNNING, received_at__isnull=False).annotate(month=TruncMonth("received_at"))
        .values_list("month", "agency_id", "due_date").annotate(n=Count("agency")).order_by()
    )
    return {(_first_day(month), agency_id, due): n for month, agency_id, due, n in rows}


def clocks_stored() -> dict[tuple, int]:
    return {(r[0], r[1], r[2]): r[3] for r in ClockFigures.objects.values_list("month", "agency_id", "due_date", "running")}


@dataclass(frozen=True)
class ClockDrift:
    key: tuple  # (month, agency id, due date)
    stored: int | None
    computed: int | None

    def __str__(self):
        month, agency_id, due = self.key
        return (f"tháng {month:%m/%Y} cơ quan {agency_id} hẹn trả {due:%d/%m/%Y}: hồ sơ đang tính hạn "
                f"(đang lưu, đúng) ({self.stored or 0}, {self.computed or 0})")


def _clocks_reconcile(*, fix: bool) -> list[ClockDrift]:
    computed, stored = clocks_computed(), clocks_stored()
    drifts = [ClockDrift(key, stored.get(key), computed.get(key)) for key in sorted(computed.keys() | stored.keys())
              if stored.get(key) != computed.get(key)]
    if fix and drifts:
        with transaction.atomic():
            for drift in drifts:
                month, agency_id, due = drift.key
                ClockFigures.objects.filter(month=month, agency_id=agency_id, due_date=due).delete()
                if drift.computed:
                    ClockFigures.objects.create(month=month, agency_id=agency_id, due_date=due, running=drift.computed)
            figures_changed()
    return drifts


FIGURES_VERSION = "figures:version"


def figures_changed() -> None:
    """Forget the cached statistics pages once the transaction that changed the figures commits (a page
    cached in between would otherwise keep the old figures under the new version)."""

    transaction.on_commit(lambda: version_bump(FIGURES_VERSION))


def _today() -> date:
    return timezone.localdate()


def _catalogue_and_today() -> tuple[int, date]:
    return catalogue_version(), _today()


# What the statistics pages are made from: the figures, the catalogue (agency names) and today (overdue).
FIGURES_PAGES = PageVersion(counters=(FIGURES_VERSION,), local=_catalogue_and_today)
# The service index shows the synced share too: what the national portal confirmed (national_sync's comparison).
INDEX_PAGES = PageVersion(counters=(FIGURES_VERSION, CONFIRMED_VERSION), local=_catalogue_and_today)


def figures_computed() -> dict[Key, dict]:
    """Every row as the dossiers table says it should be, in one grouped query."""
    rows = (
        Dossier.objects.filter(received_at__isnull=False)
        .annotate(day=TruncDate("received_at"))
        .values("day", "agency_id", "procedure_id")
        .annotate(**_aggregates())
        .order_by()
    )
    return {Key(r["day"], r["agency_id"], r["procedure_id"]): _counts(r) for r in rows}


def months_computed() -> dict[tuple, dict]:
    """Every month row as the day rows say it should be."""
    rows = (
        DailyFigures.objects.annotate(month=TruncMonth("day")).values("month", "agency_id")
        .annotate(**{name: Sum(name) for name in COUNTS}).order_by()
    )
    return {(_first_day(r["month"]), r["agency_id"]): {name: r[name] for name in COUNTS} for r in rows}


def months_stored() -> dict[tuple, dict]:
    return {(r["month"], r["agency_id"]): {name: r[name] for name in COUNTS}
            for r in MonthFigures.objects.values("month", "agency_id", *COUNTS)}


def _first_day(value) -> date:
    return (value.date() if isinstance(value, datetime) else value).replace(day=1)


def figures_stored() -> dict[Key, dict]:
    return {
        Key(r["day"], r["agency_id"], r["procedure_id"]): {name: r[name] for name in COUNTS}
        for r in DailyFigures.objects.values("day", "agency_id", "procedure_id", *COUNTS).iterator(chunk_size=5000)
    }


@dataclass(frozen=True)
class Drift:
    key: Key
    stored: dict | None
    computed: dict | None

    def __str__(self):
        k = self.key
        # procedure_id 0: a month row (MonthFigures), checked against the day rows.
        where = f"{k.day} cơ quan {k.agency_id} thủ tục {k.procedure_id}" if k.procedure_id else f"tháng {k.day:%m/%Y} cơ quan {k.agency_id}"
        if self.stored is None:
            return f"{where}: thiếu dòng, phải là {self.computed}"
        if self.computed is None:
            return f"{where}: thừa dòng {self.stored}"
        diff = {n: (self.stored[n], self.computed[n]) for n in COUNTS if self.stored[n] != self.computed[n]}
        return f"{where}: (đang lưu, đúng) {diff}"


def figures_reconcile(*, fix: bool = False) -> list[Drift | ClockDrift]:
    """Compare every stored row (day, month, clock) with the dossiers table; with `fix`, rewrite the rows that
    differ."""
    computed, stored = figures_computed(), figures_stored()
    drifts = [
        Drift(key, stored.get(key), computed.get(key))
        for key in sorted(computed.keys() | stored.keys(), key=lambda k: (k.day, k.agency_id, k.procedure_id))
        if stored.get(key) != computed.get(key)
    ]
    if fix and drifts:
        with transaction.atomic():
            for drift in drifts:
                k = drift.key
                where = {"day": k.day, "agency_id": k.agency_id, "procedure_id": k.procedure_id}
                if drift.computed is None:
                    DailyFigures.objects.filter(**where).delete()
                else:
                    DailyFigures.objects.update_or_create(**where, defaults=drift.computed)
            figures_changed()
    computed_months, stored_months = months_computed(), months_stored()
    month_drifts = [
        Drift(Key(month, agency_id, 0), stored_months.get((month, agency_id)), computed_months.get((month, agency_id)))
        for month, agency_id in sorted(computed_months.keys() | stored_months.keys())
        if stored_months.get((month, agency_id)) != computed_months.get((month, agency_id))
    ]
    if fix and month_drifts:
        with transaction.atomic():
            for drift in month_drifts:
                where = {"month": drift.key.day, "agency_id": drift.key.agency_id}
                if drift.computed is None:
                    MonthFigures.objects.filter(**where).delete()
                else:
                    MonthFigures.objects.update_or_create(**where, defaults=drift.computed)
            figures_changed()
    return drifts + month_drifts + _clocks_reconcile(fix=fix)


def figures_rebuild() -> int:
    """Replace every row with the dossiers table's figures; return the number of rows."""
    computed = figures_computed()
    with transaction.atomic():
        DailyFigures.objects.all().delete()
        DailyFigures.objects.bulk_create(
            [DailyFigures(day=k.day, agency_id=k.agency_id, procedure_id=k.procedure_id, **v) for k, v in computed.items()],
            batch_size=5000,
        )
        MonthFigures.objects.all().delete()
        MonthFigures.objects.bulk_create(
            [MonthFigures(month=month, agency_id=agency_id, **v) for (month, agency_id), v in months_computed().items()],
            batch_size=5000,
        )
        ClockFigures.objects.all().delete()
        ClockFigures.objects.bulk_create(
            [ClockFigures(month=month, agency_id=agency_id, due_date=due, running=n)
             for (month, agency_id, due), n in clocks_computed().items()],
            batch_size=5000,
        )
        figures_changed()
    return len(computed)
