"""The catalogue's version and the short lists read from it (filters, frequent procedures), kept under it."""

from django.core.cache import cache, caches
from django.db.models import Exists, OuterRef

from common.collation import vi_order
from common.page_cache import PageVersion

from .. import versioning
from ..constants import AgencyLevel, ImplementationLevel, OnlineLevel
from ..models import Agency, Field, Procedure


FACETS_CACHE_SECONDS = 300


def catalogue_version() -> int:
    """Return the catalogue's version (procedures.versioning): it changes with every change of the catalogue and
    is never a number it held before, so neither a kept page nor what a process keeps per version (the search's
    vocabulary, the rendered rows) can be taken for another catalogue. No query but once a second per process."""
    return versioning.read()


# The public pages made from the catalogue (home, procedure pages, guide, FAQ) are kept under its version.
CATALOGUE_PAGES = PageVersion(local=catalogue_version)


def cached(name: str, compute, *, version: int | None = None):
    """A value computed from the catalogue, kept under its version: in this process first (no round trip),
    then in the cache every process shares."""
    if version is None:
        version = catalogue_version()
    key = f"catalogue:{name}:v{version}"
    local = caches["local"]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, FACETS_CACHE_SECONDS)
        local.set(key, value, FACETS_CACHE_SECONDS)
    return value


def agencies_by_level() -> list[tuple[str, list[Agency]]]:
    """Return agencies that implement an active procedure, grouped by level, for the filter."""

    def compute():
        active = Procedure.objects.filter(agencies=OuterRef("pk"), is_active=True)
        groups: dict[str, list[Agency]] = {level: [] for level in AgencyLevel.values}
        for agency_obj in Agency.objects.filter(Exists(active)).order_by(vi_order("name")):
            groups[agency_obj.level].append(agency_obj)
        return [(str(AgencyLevel(level).label), items) for level, items in groups.items() if items]

    return cached("agencies", compute)


def field_list() -> list[Field]:
    """Return the fields that have an active procedure, for the filter."""
    active = Procedure.objects.filter(field=OuterRef("pk"), is_active=True)
    return cached("fields", lambda: list(Field.objects.filter(Exists(active)).order_by(vi_order("name"))))


def frequent_procedures(*, limit: int = 8, exclude_code: str = "") -> list[Procedure]:
    """Return the frequent procedures in alphabetical order (code, name and level only), but `exclude_code`.

    The same short list for every procedure page: kept with the catalogue's version rather than sorted
    again by the Vietnamese collation, with every column of each row, for each page rendered.
    """

    def compute():
        return list(
            Procedure.objects.filter(is_active=True, is_frequent=True)
            .only("code", "name", "online_level")
            .order_by(vi_order("name"))[: limit + 1]
        )

    return [p for p in cached(f"frequent:{limit + 1}", compute) if p.code != exclude_code][:limit]


def online_level_choices():
    return OnlineLevel.choices


def scope_choices():
    return ImplementationLevel.choices
