"""Writes to the catalogue that other apps call (the import lives in procedures.imports)."""

from django.db import connection, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.db.models.functions import Abs, Exp, Greatest, Ln

from common.events import CATALOGUE_CHANGED

from .agency_labels import agency_search_names
from .models import Agency, FeeItem, Field, Procedure, ProcedureChannel, RequiredComponent
from .popularity import popularity_time

# An import that writes more procedures than this has the planner's statistics of the table refreshed.
ANALYZE_AFTER_ROWS = 100


def catalogue_changed() -> None:
    """Emit catalogue.changed (common.events) in the current transaction: the catalogue's version moves
    (procedures/apps.py), so every page and every process shows the change.

    A catalogue row's save and delete emit it themselves (procedures.models.CatalogueRow); the writes that go past
    them call it once their rows are written: the admin's many-to-many and bulk deletes (CatalogueWriteAdmin), the
    spreadsheet import (CatalogueResource), the national import, the receiving map, the demo data. The version moves
    once per transaction, however many rows change.
    """
    CATALOGUE_CHANGED.emit()


def catalogue_rows_saved(*, model, pks) -> None:
    """Catalogue rows written by hand (the admin, a spreadsheet): the folded search columns of the procedures they
    name follow them (a procedure's agencies, an agency's or a field's name), then the catalogue changes."""
    pks = list(pks)
    if model is Procedure:
        procedures = Procedure.objects.filter(pk__in=pks)
    elif model is Agency:
        procedures = Procedure.objects.filter(pk__in=Procedure.agencies.through.objects.filter(
            agency_id__in=pks).values("procedure_id"))
    elif model is Field:
        procedures = Procedure.objects.filter(field_id__in=pks)
    else:
        procedures = Procedure.objects.none()
    refreshed = list(procedures.select_related("field").prefetch_related("agencies"))
    for procedure in refreshed:
        procedure.refresh_search_text(agency_names=agency_search_names(procedure.agencies.all()))
    # One statement a batch, not one a procedure (an agency renamed may carry hundreds).
    Procedure.objects.bulk_update(refreshed, ["name_folded", "search_text", "national_code"], batch_size=500)
    catalogue_changed()


def catalogue_analyzed(*, rows: int) -> None:
    """After a large write to the procedures, refresh PostgreSQL's statistics of their tables once it commits.

    Until autovacuum gets to them, the planner plans with the statistics of the tables as they were before (empty,
    after a first import): single-word searches of the freshly imported national catalogue got a bad plan, and at
    100 000 procedures the search page's agencies of its 20 rows, estimated at 13 000 rows, got a parallel plan
    (6 ms; 0.6 ms once the link table was analysed).
    """
    if rows > ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(table) for table in [*_CATALOGUE_TABLES, SEARCH_ROWS_TABLE])
        transaction.on_commit(lambda: connection.cursor().execute(f"ANALYZE {tables}"))


# The search's copy of the searched columns, written by a trigger with the procedures (PostgreSQL: migration 0016).
SEARCH_ROWS_TABLE = "procedures_searchrow"
# What an import or a generator writes in bulk, and the pages read by procedure: the procedures, their agencies,
# components, channels and fees.
_CATALOGUE_TABLES = [model._meta.db_table for model in (
    Procedure, Procedure.agencies.through, RequiredComponent, ProcedureChannel, FeeItem)]


def procedure_popularity_record(*, procedure_id: int, at=None) -> None:
    """Count one submission of the procedure in its popularity (called by the dossiers' submission).

    One atomic UPDATE: log-add-exp of the stored value and the submission's time, so concurrent
    submissions never lose a count and no job has to decay the stored values.
    """
    t = Value(popularity_time(at))
    Procedure.objects.filter(pk=procedure_id).update(
        popularity=Greatest(F("popularity"), t) + Ln(Value(1.0) + Exp(-Abs(F("popularity") - t)))
    )


def procedure_components_mark_reviewed(*, procedure_ids) -> int:
    """Clear the importer's review flag of these procedures: the operator checked their components.

    The time is kept: a later import that brings a changed national text flags the procedure again (its
    components are rewritten over the operator's corrections); the same text leaves them alone.
    Return how many procedures were marked.
    """
    return Procedure.objects.filter(pk__in=list(procedure_ids)).update(
        components_need_review=False, components_review_reasons="", components_reviewed_at=timezone.now()
    )


def procedure_components_corrected(*, procedure_id: int) -> None:
    """Remember that the operator corrected the components by hand (the flag stays as the operator left it).

    A later import of a changed national text rewrites them and flags the procedure, so the correction is
    never lost without a word; an import of the same text leaves them alone.
    """
    Procedure.objects.filter(pk=procedure_id).update(components_reviewed_at=timezone.now())
