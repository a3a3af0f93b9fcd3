"""Reads of the procedure catalogue: search with filters, ranked by relevance."""

from django.core.cache import cache
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length

from common.collation import vi_order

from .constants import AgencyLevel, OnlineLevel
from .models import Agency, Field, Procedure
from .text import tokens

MAX_QUERY_LENGTH = 200


def _catalogue_base() -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(is_active=True)
        .select_related("field")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by(vi_order("name"))))
    )


def _relevance(phrase: str, words: list[str]) -> Case:
    """Score a row: the exact code first, then the whole phrase in the name, then words in the name."""
    whens = [
        When(code__iexact=phrase, then=Value(1000)),
        When(name_folded=f" {phrase}", then=Value(900)),
        When(name_folded__startswith=f" {phrase}", then=Value(800)),
        When(name_folded__contains=f" {phrase}", then=Value(700)),
    ]
    if len(words) > 1:
        whens.append(When(Q(*[Q(name_folded__contains=f" {w}") for w in words]), then=Value(600)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _has_word(word: str) -> Q:
    """The row has a word starting with `word` (part of a word, typed from its start)."""
    return Q(search_text__contains=f" {word}")


def _word_hits(words: list[str]):
    """Count how many of `words` the row's search text has (used when not all of them match)."""
    total = Value(0, output_field=IntegerField())
    for word in words:
        total = total + Case(When(_has_word(word), then=Value(1)), default=Value(0))
    return total


def procedure_search(
    *, q: str = "", agency: str = "", field: str = "", level: int | None = None
) -> QuerySet[Procedure]:
    """Return active procedures matching `q` and the filters, the most relevant first.

    Every word of the query must appear in the folded search text (any order, part of a word,
    no diacritics needed). When no procedure has them all and the query has three words or more,
    procedures with most of the words are returned instead, so a stray word does not hide the
    procedure.
    """
    qs = _catalogue_base()
    if agency:
        qs = qs.filter(agencies__code=agency)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(online_level=level)

    words = tokens(q[:MAX_QUERY_LENGTH])
    if not words:
        return qs.order_by("-is_frequent", vi_order("name"))
    phrase = " ".join(words)

    ranked = qs.annotate(relevance=_relevance(phrase, words))
    everything = ranked.filter(*[_has_word(w) for w in words])
    if len(words) < 3 or everything.exists():
        return everything.order_by("-relevance", Length("name"), vi_order("name"))
    # Nothing has every word of a longer query: fall back to the rows with most of them
    # (two thirds at least), so one stray word does not empty the page.
    needed = max(2, -(-len(words) * 2 // 3))
    return (
        ranked.annotate(hits=_word_hits(words))
        .filter(hits__gte=needed)
        .order_by("-hits", "-relevance", Length("name"), vi_order("name"))
    )


def procedure_get(*, code: str) -> Procedure:
    """Return the active procedure with this code, with everything its page shows."""
    return (
        _catalogue_base()
        .prefetch_related("components", "fees")
        .get(code=code)
    )


FACETS_CACHE_SECONDS = 300


def catalogue_changed() -> None:
    """Forget the cached filter lists (called when a procedure, agency or field changes)."""
    try:
        cache.incr("catalogue:version")
    except ValueError:
        cache.set("catalogue:version", 2, None)


def catalogue_version() -> int:
    return cache.get_or_set("catalogue:version", 1, None)


def _cached(name: str, compute):
    version = catalogue_version()
    key = f"catalogue:{name}:v{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FACETS_CACHE_SECONDS)
    return value


def agencies_by_level() -> list[tuple[str, list[Agency]]]:
    """Return agencies that implement an active procedure, grouped by level, for the filter."""

    def compute():
        active = Procedure.objects.filter(agencies=OuterRef("pk"), is_active=True)
        groups: dict[str, list[Agency]] = {level: [] for level in AgencyLevel.values}
        for agency_obj in Agency.objects.filter(Exists(active)).order_by(vi_order("name")):
            groups[agency_obj.level].append(agency_obj)
        return [(str(AgencyLevel(level).label), items) for level, items in groups.items() if items]

    return _cached("agencies", compute)


def field_list() -> list[Field]:
    """Return the fields that have an active procedure, for the filter."""
    active = Procedure.objects.filter(field=OuterRef("pk"), is_active=True)
    return _cached("fields", lambda: list(Field.objects.filter(Exists(active)).order_by(vi_order("name"))))


def frequent_procedures(*, limit: int = 8, exclude_code: str = "") -> QuerySet[Procedure]:
    return _catalogue_base().filter(is_frequent=True).exclude(code=exclude_code).order_by(vi_order("name"))[:limit]


def online_level_choices():
    return OnlineLevel.choices
