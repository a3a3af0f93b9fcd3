"""The province's receiving map (procedures.models.ReceivingRule) and the service that applies it.

The national text says who carries a procedure out in words ("Ủy ban nhân dân cấp xã", "Công an cấp Xã",
"Thuế cơ sở"); nine in ten of those words name no agency of the province. The map says it once per level and
field, with the province's own agencies, and every procedure takes its receiving agencies from it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch

from .agency_labels import agency_search_names
from .constants import MAPPED_LEVELS, AgencyKind
from .models import Agency, MappedAgencyLink, Procedure, ReceivingRule
from .services import catalogue_changed

BATCH = 2000


def _batched(ids: list[int], size: int = BATCH):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


@dataclass(frozen=True)
class ReceivingMap:
    """The map read once: (level, field id or None for every field) → the agency ids it names."""

    rules: dict[tuple[str, int | None], frozenset[int]]

    def agencies_for(self, *, levels: str, field_id: int | None) -> set[int]:
        """Return the agencies receiving a procedure of these levels (",tinh,xa,") and this field.

        Per level, the rule of the procedure's own field wins over the level's rule for every field; a
        procedure of a ministry only ("Cấp bộ") gets none.
        """
        found: set[int] = set()
        for level in levels.split(","):
            if level not in MAPPED_LEVELS:
                continue
            own = (level, field_id)
            found |= self.rules.get(own if own in self.rules else (level, None), frozenset())
        return found


def receiving_map_load() -> ReceivingMap:
    """Read the map and resolve "each commune's <kind>" to the agencies serving a commune (three queries)."""
    rules = list(ReceivingRule.objects.prefetch_related(Prefetch("agencies", queryset=Agency.objects.only("pk"))))
    kinds = {kind for rule in rules for kind in rule.commune_kind_list}
    by_kind: dict[str, set[int]] = defaultdict(set)
    if kinds:
        for pk, kind in Agency.objects.filter(kind__in=kinds, commune_code__isnull=False).values_list("pk", "kind"):
            by_kind[kind].add(pk)
    resolved = {}
    for rule in rules:
        ids = {a.pk for a in rule.agencies.all()}
        for kind in rule.commune_kind_list:
            ids |= by_kind[kind]
        resolved[(rule.level, rule.field_id)] = frozenset(ids)
    return ReceivingMap(rules=resolved)


@dataclass
class MapReport:
    """What applying the map did: procedures looked at, changed, links added and removed, left without any."""

    procedures: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0
    without_agency: int = 0
    changed_ids: list[int] = field(default_factory=list, repr=False)


def receiving_map_apply(*, procedure_ids=None, receiving_map: ReceivingMap | None = None) -> MapReport:
    """Give every procedure (or those named) the agencies the map names for its levels and field, in bulk.

    Links the map made before and no longer names are removed (the operator corrected the map); links an
    import matched by name or the operator added by hand stay. Each batch of procedures costs a fixed number
    of queries, whatever the catalogue's size.
    """
    receiving_map = receiving_map or receiving_map_load()
    if procedure_ids is None:
        ids = list(Procedure.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(procedure_ids))
    report = MapReport(procedures=len(ids))
    with transaction.atomic():
        for chunk in _batched(ids):
            _apply_batch(receiving_map, chunk, report)
        if report.changed_ids:
            procedures_search_text_refresh(ids=report.changed_ids)
            catalogue_changed()
    return report


def _apply_batch(receiving_map: ReceivingMap, chunk: list[int], report: MapReport) -> None:
    Through = Procedure.agencies.through
    links: dict[int, dict[int, int]] = defaultdict(dict)  # procedure → agency → link id
    for link_id, procedure_id, agency_id in Through.objects.filter(procedure_id__in=chunk).values_list(
            "id", "procedure_id", "agency_id"):
        links[procedure_id][agency_id] = link_id
    made: dict[int, dict[int, int]] = defaultdict(dict)
    for link_id, procedure_id, agency_id in MappedAgencyLink.objects.filter(procedure_id__in=chunk).values_list(
            "id", "procedure_id", "agency_id"):
        made[procedure_id][agency_id] = link_id
    new_links, drop_links, drop_made = [], [], []
    for pk, levels, field_id in Procedure.objects.filter(pk__in=chunk).values_list("pk", "levels", "field_id"):
        wanted = receiving_map.agencies_for(levels=levels, field_id=field_id)
        have, by_map = links[pk], made[pk]
        added = wanted - have.keys()
        gone = by_map.keys() - wanted
        new_links += [(pk, agency_id) for agency_id in added]
        drop_links += [have[agency_id] for agency_id in gone if agency_id in have]
        drop_made += [by_map[agency_id] for agency_id in gone]
        removed = sum(1 for agency_id in gone if agency_id in have)
        if added or removed:
            report.changed += 1
            report.changed_ids.append(pk)
        report.added += len(added)
        report.removed += removed
        if not (have.keys() - gone) and not added:
            report.without_agency += 1
    Through.objects.filter(pk__in=drop_links).delete()
    MappedAgencyLink.objects.filter(pk__in=drop_made).delete()
    Through.objects.bulk_create([Through(procedure_id=p, agency_id=a) for p, a in new_links],
                                batch_size=1000, ignore_conflicts=True)
    # A link the operator removed by hand and the map still names comes back, and is the map's already.
    MappedAgencyLink.objects.bulk_create([MappedAgencyLink(procedure_id=p, agency_id=a) for p, a in new_links],
                                         batch_size=1000, ignore_conflicts=True)


def procedures_search_text_refresh(*, ids: list[int]) -> None:
    """Recompute the folded search columns of these procedures from their agencies, in bulk."""
    Through = Procedure.agencies.through
    for chunk in _batched(ids):
        agencies: dict[int, list[tuple]] = defaultdict(list)
        for procedure_id, *agency in Through.objects.filter(procedure_id__in=chunk).order_by("agency_id").values_list(
                "procedure_id", "agency__name", "agency__kind", "agency__commune_code"):
            agencies[procedure_id].append(agency)
        procedures = list(Procedure.objects.filter(pk__in=chunk).select_related("field")
                          .only("pk", "code", "name", "search_text", "field__name"))
        changed = []
        for procedure in procedures:
            before = procedure.search_text
            procedure.refresh_search_text(agency_names=agency_search_names(
                agencies[procedure.pk], key=lambda row: (row[1], row[2]), name=lambda row: row[0]))
            if procedure.search_text != before:
                changed.append(procedure)
        # Only the rows whose text changed: each row written costs its three search indexes' upkeep.
        Procedure.objects.bulk_update(changed, ["search_text"], batch_size=500)


# --- reads: who receives a citizen's dossier -------------------------------------------------------------

def receiving_agencies(*, procedure: Procedure) -> list[Agency]:
    """Return the agencies that receive the procedure's dossiers: the province's own first, then by commune."""
    from django.db.models import F

    from common.collation import vi_order

    return list(procedure.agencies.order_by(F("commune_code").asc(nulls_first=True), vi_order("name"), "pk"))


def receiving_agency_default(*, agencies: list[Agency], commune_code: int | None) -> Agency | None:
    """Return the agency a citizen's dossier goes to unless they choose another: their own commune's, if the
    procedure is received there (its People's Committee before another of its agencies), else the first."""
    own = [a for a in agencies if commune_code and a.commune_code == commune_code]
    own.sort(key=lambda a: a.kind != AgencyKind.PEOPLE_COMMITTEE)
    return (own or agencies or [None])[0]
