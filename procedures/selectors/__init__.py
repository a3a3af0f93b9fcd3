"""Reads of the procedure catalogue, one module an idea; every public name is importable from here.

- search: the procedures a query and the filters find, ranked by relevance (ranking: its SQL pieces);
- listing: the rows of the catalogue's table;
- page: one procedure's page;
- catalogue: the catalogue's version and the short lists kept under it (the filters, frequent procedures).

The modules import one another, never this package (no cycle through it). A test that changes a search's
limits patches procedures.selectors.search, where they are read.
"""

from .catalogue import (
    CATALOGUE_PAGES, agencies_by_level, catalogue_version, field_list, frequent_procedures, online_level_choices,
    scope_choices,
)
from .listing import ListedProcedure, procedures_listed
from .page import ComponentGroup, ProcedurePage, procedure_code_resolve, procedure_page
from .search import (
    MAX_QUERY_LENGTH, SEARCH_CANDIDATES, procedure_count, procedure_search, procedure_search_ids,
)

__all__ = [
    "CATALOGUE_PAGES", "MAX_QUERY_LENGTH", "SEARCH_CANDIDATES", "ComponentGroup", "ListedProcedure", "ProcedurePage",
    "agencies_by_level", "catalogue_version", "field_list", "frequent_procedures", "online_level_choices",
    "procedure_code_resolve", "procedure_count", "procedure_page", "procedure_search", "procedure_search_ids",
    "procedures_listed", "scope_choices",
]
