"""How a procedure's agencies are named on its page and in the catalogue's rows.

A commune-level procedure is received by every commune's People's Committee (procedures.receiving): a province
has about a hundred communes since 2025, so their agencies of one kind are named once, with their number.
"""

from dataclasses import dataclass, field

from django.utils.translation import ngettext

from .constants import AgencyKind

# From this many agencies of one kind serving communes, they are summed up in one line.
SUMMARY_FROM = 4


@dataclass
class AgencyGroup:
    """Each commune's agency of one kind, summed up: "Ủy ban nhân dân 96 xã, phường"."""

    kind: str
    members: list = field(default_factory=list)

    @property
    def label(self) -> str:
        count = len(self.members)
        return ngettext("%(kind)s %(count)d xã, phường", "%(kind)s %(count)d xã, phường", count) % {
            "kind": AgencyKind(self.kind).label if self.kind in AgencyKind.values else AgencyKind.OTHER.label,
            "count": count,
        }


def agencies_grouped(agencies, *, key=lambda agency: (agency.kind, agency.commune_code)):
    """Split agencies (in their order) into those named one by one and the groups of each commune's agencies."""
    by_kind: dict[str, list] = {}
    for agency in agencies:
        kind, commune = key(agency)
        if commune:
            by_kind.setdefault(kind, []).append(agency)
    grouped = {kind: members for kind, members in by_kind.items() if len(members) >= SUMMARY_FROM}
    single = [a for a in agencies if not (key(a)[1] and key(a)[0] in grouped)]
    return single, [AgencyGroup(kind=kind, members=members) for kind, members in grouped.items()]


# How the search text names each commune's agencies of a kind, in place of their hundred names: the search finds
# "ủy ban nhân dân cấp xã" as the national text writes it, and a procedure's row is not matched by every
# commune's name (nor its search index swollen by them).
SEARCH_PHRASES = {AgencyKind.PEOPLE_COMMITTEE: "Ủy ban nhân dân cấp xã", AgencyKind.POLICE: "Công an cấp xã"}


def agency_search_names(agencies, *, key=lambda agency: (agency.kind, agency.commune_code),
                        name=lambda agency: agency.name) -> list[str]:
    """Return the names a procedure's search text holds for its agencies (Procedure.refresh_search_text)."""
    single, groups = agencies_grouped(agencies, key=key)
    return [name(a) for a in single] + [SEARCH_PHRASES.get(g.kind, "cơ quan cấp xã") for g in groups]
