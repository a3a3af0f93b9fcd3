"""A paginator for admin lists of a million rows: PostgreSQL's row estimate instead of COUNT(*) when large."""

import json

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows (as estimated) the exact count is cheap and is taken.
EXACT_BELOW = 20_000
# Above it too when the planner expects counting to cost less than this (its units: one page read in sequence
# is 1, a random one 4): an index-only scan of a partial index, such as the overdue dossiers. A count that reads
# much of a million-row table costs 40 000 and more.
EXACT_COST_BELOW = 5_000
# From this offset on, a page is read in two steps (below).
DEFERRED_FROM = 500


class EstimatedCountPaginator(Paginator):
    """count = the planner's estimate of the filtered query when it is large and costly to count, else COUNT(*).

    COUNT(*) over most of a million-row table reads all of it (hundreds of ms); the estimate costs one EXPLAIN,
    and a clerk paging through tens of thousands of dossiers does not need the last digit. A count the planner
    can answer from a small index is exact whatever its size, so that the list agrees with the work queue's.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        plan = _plan(queryset) if hasattr(queryset, "query") else None
        if plan is not None and plan["Plan Rows"] >= EXACT_BELOW and plan["Total Cost"] >= EXACT_COST_BELOW:
            return int(plan["Plan Rows"])
        return super().count

    def page(self, number):
        """The page; a deep one by its primary keys first, then those rows.

        OFFSET 10 000 on the whole query reads and joins 10 000 rows only to skip them; the keys alone come
        from the ordering's index without touching the table (its INCLUDE columns cover the usual filters).
        """
        page = super().page(number)
        rows = page.object_list
        if hasattr(rows, "query") and rows.query.low_mark >= DEFERRED_FROM and rows.ordered:
            keys = list(rows.values_list("pk", flat=True))
            page.object_list = list(self.object_list.filter(pk__in=keys))
        return page


def _plan(queryset) -> dict | None:
    """The planner's top node for reading the filtered rows' keys (rows, cost); None off PostgreSQL."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # none() or "in no agency": nothing to ask the planner, nor to count
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]
