"""Reads of the procedure catalogue: search with filters, ranked by relevance."""

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length

from .constants import AgencyLevel, OnlineLevel
from .models import Agency, Field, Procedure
from .text import fold, tokens

MAX_QUERY_LENGTH = 200


def _catalogue_base() -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(is_active=True)
        .select_related("field")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("name")))
    )


def _relevance(phrase: str, words: list[str]) -> Case:
    """Score a row: the exact code first, then the whole phrase in the name, then words in the name."""
    whens = [
        When(code__iexact=phrase, then=Value(1000)),
        When(name_folded=phrase, then=Value(900)),
        When(name_folded__startswith=phrase, then=Value(800)),
        When(name_folded__contains=phrase, then=Value(700)),
    ]
    if len(words) > 1:
        whens.append(When(Q(*[Q(name_folded__contains=w) for w in words]), then=Value(600)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _word_hits(words: list[str]):
    """Count how many of `words` the row's search text contains (used when not all of them match)."""
    total = Value(0, output_field=IntegerField())
    for word in words:
        total = total + Case(When(search_text__contains=word, then=Value(1)), default=Value(0))
    return total


def procedure_search(
    *, q: str = "", agency: str = "", field: str = "", level: int | None = None
) -> QuerySet[Procedure]:
    """Return active procedures matching `q` and the filters, the most relevant first.

    Every word of the query must appear in the folded search text (any order, part of a word,
    no diacritics needed). When no procedure has them all, procedures with most of the words
    are returned instead, so a citizen who adds a stray word still finds the procedure.
    """
    qs = _catalogue_base()
    if agency:
        qs = qs.filter(agencies__code=agency)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(online_level=level)

    phrase = fold(" ".join(q.split()))[:MAX_QUERY_LENGTH]
    words = tokens(phrase)
    if not words:
        return qs.order_by("-is_frequent", "name")

    ranked = qs.annotate(relevance=_relevance(phrase, words))
    everything = ranked.filter(*[Q(search_text__contains=w) for w in words])
    if len(words) == 1 or everything.exists():
        return everything.order_by("-relevance", Length("name"), "name")
    # Nothing has every word: fall back to the rows with most of them (at least half).
    needed = max(1, (len(words) + 1) // 2)
    return (
        ranked.annotate(hits=_word_hits(words))
        .filter(hits__gte=needed)
        .order_by("-hits", "-relevance", Length("name"), "name")
    )


def procedure_get(*, code: str) -> Procedure:
    """Return the active procedure with this code, with everything its page shows."""
    return (
        _catalogue_base()
        .prefetch_related("components", "fees")
        .get(code=code)
    )


def agencies_by_level() -> list[tuple[str, list[Agency]]]:
    """Return agencies that implement at least one procedure, grouped by level for the filter."""
    agencies = Agency.objects.filter(procedures__is_active=True).distinct().order_by("name")
    groups: dict[str, list[Agency]] = {level: [] for level in AgencyLevel.values}
    for agency_obj in agencies:
        groups[agency_obj.level].append(agency_obj)
    return [(AgencyLevel(level).label, items) for level, items in groups.items() if items]


def field_list() -> QuerySet[Field]:
    return Field.objects.filter(procedures__is_active=True).distinct().order_by("name")


def frequent_procedures(*, limit: int = 8, exclude_code: str = "") -> QuerySet[Procedure]:
    return _catalogue_base().filter(is_frequent=True).exclude(code=exclude_code).order_by("name")[:limit]


def online_level_choices():
    return OnlineLevel.choices
