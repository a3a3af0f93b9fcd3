from .constants import ONLINE_LEVEL_ALIASES, ONLINE_LEVEL_SLUGS, ImplementationLevel
from .selectors import MAX_QUERY_LENGTH


# The catalogue's GET parameters (DESIGN.md §4), in the order its links write them.
CATALOGUE_PARAMS = ("q", "agency", "field", "level", "scope")
_TEXT_LIMITS = {"agency": 20, "field": 50}


def catalogue_filters(params) -> dict:
    """The catalogue's filters read from its GET parameters: a bad value is dropped, never a server error.

    `level` is `toan-trinh` / `mot-phan` (Decree 42/2022) or the old 4 / 3, given as the stored level;
    `scope` one of ImplementationLevel's values; the query's spaces folded and cut at MAX_QUERY_LENGTH.
    A plain function rather than a Form, which nothing renders: its fields' deep copy and cleaning were a
    fifteenth of an uncached search's Python.
    """

    def text(name: str) -> str:
        value = str(params.get(name, "")).strip()
        limit = _TEXT_LIMITS.get(name)
        return "" if "\x00" in value or (limit and len(value) > limit) else value

    level = ONLINE_LEVEL_ALIASES.get(str(params.get("level", "")))
    scope = str(params.get("scope", ""))
    return {
        "q": " ".join(text("q").split())[:MAX_QUERY_LENGTH],
        "agency": text("agency"),
        "field": text("field"),
        "level": None if level is None else int(level),
        "scope": scope if scope in ImplementationLevel.values else "",
    }


def level_options() -> list[tuple[str, str, int]]:
    """The level filter's options: (URL value, label, stored level)."""
    from .constants import OnlineLevel

    return [(slug, str(OnlineLevel(level).label), int(level)) for slug, level in ONLINE_LEVEL_SLUGS.items()]
