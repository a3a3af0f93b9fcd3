"""Writes to the catalogue that other apps call (the import lives in procedures.imports)."""

from django.db.models import F, Value
from django.db.models.functions import Abs, Exp, Greatest, Ln

from .models import Procedure
from .popularity import popularity_time


def procedure_popularity_record(*, procedure_id: int, at=None) -> None:
    """Count one submission of the procedure in its popularity (called by the dossiers' submission).

    One atomic UPDATE: log-add-exp of the stored value and the submission's time, so concurrent
    submissions never lose a count and no job has to decay the stored values.
    """
    t = Value(popularity_time(at))
    Procedure.objects.filter(pk=procedure_id).update(
        popularity=Greatest(F("popularity"), t) + Ln(Value(1.0) + Exp(-Abs(F("popularity") - t)))
    )
