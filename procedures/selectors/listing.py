"""The rows of the catalogue's table: what each shows of a procedure, read as plain values."""

from dataclasses import dataclass

from django.urls import reverse

from common.collation import vi_order

from ..agency_labels import agencies_grouped
from ..constants import OnlineLevel
from ..models import Procedure


@dataclass(frozen=True)
class ListedProcedure:
    """What a row of the catalogue's table shows of a procedure."""

    pk: int
    code: str
    name: str
    field_name: str
    agency_names: tuple[str, ...]
    implementing_text: str
    online_level: int

    @property
    def url(self) -> str:
        return reverse("procedures:detail", args=[self.code])

    @property
    def online_level_label(self) -> str:
        return OnlineLevel(self.online_level).label


def procedures_listed(*, ids: list[int]) -> list[ListedProcedure]:
    """Return what the catalogue's table shows of the procedures with these ids, in no particular order.

    Two plain value queries: as model instances with their agencies prefetched, 20 rows took 2.5 ms
    in-process at 10 000 procedures, 1.6 ms so. A search renders these rows only for procedures whose row
    is not kept yet (procedures.views._procedure_rows).
    """
    agencies: dict[int, list[tuple]] = {}
    names = (Procedure.agencies.through.objects.filter(procedure_id__in=ids)
             .order_by(vi_order("agency__name"), "agency_id")
             .values_list("procedure_id", "agency__name", "agency__kind", "agency__commune_code"))
    for procedure_id, *agency in names:
        agencies.setdefault(procedure_id, []).append(agency)
    rows = Procedure.objects.filter(pk__in=ids).values_list(
        "pk", "code", "name", "field__name", "implementing_text", "online_level")
    return [ListedProcedure(pk=pk, code=code, name=name, field_name=field_name or "",
                            agency_names=_agency_names(agencies.get(pk, ())), implementing_text=text,
                            online_level=level)
            for pk, code, name, field_name, text, level in rows]


def _agency_names(agencies: list[tuple]) -> tuple[str, ...]:
    """(name, kind, commune code) rows as the row names them: every commune's agencies of a kind in one line."""
    single, groups = agencies_grouped(agencies, key=lambda row: (row[1], row[2]))
    return tuple([name for name, _, _ in single] + [group.label for group in groups])
