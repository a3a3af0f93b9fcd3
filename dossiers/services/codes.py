"""The dossier's code (<agency>-<yymmdd>-<nnnn>), one sequence per agency and day."""

import logging
from datetime import date

from django.db import IntegrityError, connection, transaction

from procedures.models import Agency

from ..models import DossierCodeSequence

logger = logging.getLogger(__name__)


def dossier_code_next(*, agency, day: date) -> str:
    """Return the next dossier code of the agency for the day (Circular 01/2018/TT-VPCP art. 19).

    Must run inside the submitting transaction: the UPDATE locks the agency's row for the day
    until commit, so concurrent submissions queue behind it and a rollback gives the number back
    (no gaps). The first submission of a day creates the row; a concurrent creator loses on the
    unique constraint and takes the UPDATE path again.
    """
    for _attempt in range(3):
        number = _code_sequence_increment(agency=agency, day=day)
        if number is not None:
            break
        try:
            with transaction.atomic():
                DossierCodeSequence.objects.create(agency=agency, day=day, last=1)
            number = 1
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three lost races in a row
        raise RuntimeError("could not allocate a dossier code")
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


def _code_sequence_increment(*, agency, day: date) -> int | None:
    """Add one to the agency's number for the day and return it, in one statement (UPDATE … RETURNING,
    PostgreSQL and SQLite alike); None when the day has no row yet."""
    meta = DossierCodeSequence._meta
    table, last, agency_id, day_column = (
        connection.ops.quote_name(name)
        for name in (meta.db_table, meta.get_field("last").column, meta.get_field("agency").column,
                     meta.get_field("day").column)
    )
    day_value = meta.get_field("day").get_db_prep_value(day, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {agency_id} = %s AND {day_column} = %s RETURNING {last}",
            [agency.pk, day_value],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def dossier_code_marks() -> list[dict]:
    """The last number each agency gave on each day, as an operator keeps it across a restore (docs/operations.md)."""
    rows = DossierCodeSequence.objects.select_related("agency").order_by("agency__code", "day")
    return [{"agency": row.agency.code, "day": row.day.isoformat(), "last": row.last} for row in rows]


def dossier_code_sequences_raise(*, marks: list[dict]) -> int:
    """Raise each agency's number for a day to at least the mark; return how many days were raised.

    After a point-in-time restore the sequences are back at the target time, while citizens hold codes given
    after it (in their e-mail, on paper): without this step the next submissions would get those codes again.
    A mark never lowers a sequence; a mark of an agency the restored database does not know is left out.
    """
    agencies = dict(Agency.objects.filter(code__in={m["agency"] for m in marks}).values_list("code", "pk"))
    raised = 0
    with transaction.atomic():
        for mark in marks:
            if mark["agency"] not in agencies:
                continue
            row, _created = DossierCodeSequence.objects.select_for_update().get_or_create(
                agency_id=agencies[mark["agency"]], day=date.fromisoformat(mark["day"]), defaults={"last": 0})
            if row.last < mark["last"]:
                row.last = mark["last"]
                row.save(update_fields=["last"])
                raised += 1
    return raised
