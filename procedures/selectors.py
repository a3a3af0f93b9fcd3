"""Reads of the procedure catalogue: search with filters, ranked by relevance."""

import math
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Exists, Expression, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from common.collation import vi_order
from common.page_cache import PageVersion

from .constants import AgencyLevel, Channel, ImplementationLevel, OnlineLevel
from .models import Agency, Field, Procedure, ProcedureChannel
from .national import code_parts
from .popularity import popularity_now
from .search import Query, Term, analyse

MAX_QUERY_LENGTH = 200


def _catalogue_base() -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(is_active=True)
        .select_related("field")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by(vi_order("name"))))
    )


def _exact(q: str, query: Query) -> Case:
    """1 for the procedure the query names exactly: its code, or its whole name (repeated words kept)."""
    code = "".join(q.split()).upper()
    return Case(
        When(Q(code=code) | Q(national_code=code), then=Value(1)),
        When(name_folded__in={f" {query.phrase} ", f" {query.typed_phrase} "}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _relevance(query: Query) -> Case:
    """Score how well the name (not the field or agency) matches: the phrase, then its words."""
    phrase = query.phrase
    tiers = Case(
        When(name_folded__startswith=f" {phrase}", then=Value(800)),
        When(name_folded__contains=f" {phrase}", then=Value(700)),
        default=Value(0),
        output_field=IntegerField(),
    )
    total = tiers
    for term in query.terms:
        total = total + Case(When(_name_has(term), then=Value(10)), default=Value(0), output_field=IntegerField())
    return total


def _name_has(term: Term) -> Q:
    condition = Q(name_folded__contains=f" {term.word}")
    for word in term.corrections:
        condition |= Q(name_folded__contains=f" {word} ")
    return condition


def _has_term(term: Term) -> Q:
    """The row has a word starting with the term, or one of the words it may be a typo of."""
    condition = Q(search_text__contains=f" {term.word}")
    for word in term.corrections:
        condition |= Q(search_text__contains=f" {word} ")
    return condition


def _tsquery(term: Term) -> str:
    options = [f"'{term.word}':*", *[f"'{word}'" for word in term.corrections]]
    return f"({' | '.join(options)})"


def _matching(qs: QuerySet, terms: list[Term]) -> QuerySet:
    """Rows with every term. PostgreSQL answers from the GIN full-text index; codes use the trigram one."""
    if connection.vendor != "postgresql":
        return qs.filter(*[_has_term(t) for t in terms])
    words = [t for t in terms if not t.is_code_like]
    codes = [t for t in terms if t.is_code_like]
    if words:
        raw = " & ".join(_tsquery(t) for t in words)
        qs = qs.annotate(document=StoredSearchVector()).filter(
            document=SearchQuery(raw, search_type="raw", config="simple")
        )
    return qs.filter(*[_has_term(t) for t in codes])


def _term_hits(terms: list[Term]):
    """Count how many of the terms the row's search text has (used when not all of them match)."""
    total = Value(0, output_field=IntegerField())
    for term in terms:
        total = total + Case(When(_has_term(term), then=Value(1)), default=Value(0))
    return total


class StoredSearchVector(Expression):
    """The generated tsvector column of the folded search text (migration 0006, PostgreSQL only).

    Stored rather than computed in the query: a common word ("nhận") matches most rows, and parsing
    every row's text again cost half a second at 10 000 procedures.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(Procedure._meta.db_table)}.search_vector", []
POPULAR_BUCKETS = (30, 3, 0.3)  # decayed submission counts that lift a procedure a step


def _popular(now_score: float) -> Case:
    """Bucket the decayed submission count: a procedure asked for ten times as often ranks a step higher."""
    whens = [
        When(popularity__gte=now_score + math.log(count), then=Value(len(POPULAR_BUCKETS) - i))
        for i, count in enumerate(POPULAR_BUCKETS)
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def procedure_search(
    *, q: str = "", agency: str = "", field: str = "", level: int | None = None, scope: str = ""
) -> QuerySet[Procedure]:
    """Return active procedures matching `q` and the filters: the exact name or code first, then
    the procedures citizens submit most, then the best matches of the name.

    Every word of the query, or its start, must appear in the folded search text (any order, no
    diacritics needed, i/y either way). Everyday names (synonyms edited in the admin) stand for the
    words of the legal names, and a word that is no word of the catalogue is read as any word one
    typo away. When no procedure has them all and the query has three words or more, procedures with
    most of the words are returned instead, so a stray word does not hide the procedure.
    """
    qs = _catalogue_base()
    if agency:
        qs = qs.filter(agencies__code=agency)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(online_level=level)
    if scope:
        qs = qs.filter(levels__contains=f",{scope},")

    query = analyse(q[:MAX_QUERY_LENGTH], version=catalogue_version())
    if not query.terms:
        return qs.order_by("-is_frequent", "-popularity", vi_order("name"))

    ranked = qs.annotate(
        exact=_exact(q, query), popular=_popular(popularity_now()), relevance=_relevance(query)
    )
    # A province's portal serves its own procedures first: province and commune level before ministry level.
    ranked = ranked.annotate(local=Case(
        When(Q(levels__contains=",tinh,") | Q(levels__contains=",xa,"), then=Value(1)),
        default=Value(0), output_field=IntegerField(),
    ))
    order = ["-exact", "-popular", "-relevance", "-local"]
    # No trigram similarity here: over a common word's 7 000 matches it cost 0.3 s and ranked as the length does.
    order += [Length("name_folded").asc(), "name"]
    everything = _matching(ranked, query.terms)
    if len(query.terms) < 3 or everything.exists():
        return everything.order_by(*order)
    # Nothing has every word of a longer query: fall back to the rows with most of them
    # (two thirds at least), so one stray word does not empty the page.
    needed = max(2, -(-len(query.terms) * 2 // 3))
    return ranked.annotate(hits=_term_hits(query.terms)).filter(hits__gte=needed).order_by("-hits", *order)


def procedure_code_resolve(*, code: str) -> str | None:
    """Return the canonical code of an active procedure written another way (short, no dots, service)."""
    parts = code_parts(code)
    if parts is None:
        return None
    national, local = parts
    qs = Procedure.objects.filter(is_active=True)
    found = qs.filter(code=local).values_list("code", flat=True).first() if local else None
    if found is None:
        found = (qs.filter(national_code=national)
                 .order_by(Case(When(code__endswith=f".{settings.PROVINCE_CODE}", then=0), default=1), "code")
                 .values_list("code", flat=True).first())
    return found


def procedure_channels(*, procedure: Procedure) -> list:
    """Return the per-channel rows of the procedure page; a procedure entered by hand gets its online row
    from its processing time and fees."""
    channels = list(procedure.channels.all())
    if channels:
        return channels
    has_fees = bool(procedure.fees.all())
    return [ProcedureChannel(
        procedure=procedure, channel=Channel.ONLINE, time_value=Decimal(procedure.processing_days),
        time_unit=_("Ngày làm việc"), fee_amount=None if has_fees else 0,
        fee_text=_("Theo mục Phí, lệ phí bên dưới") if has_fees else _("Miễn phí"),
    )]


def components_by_case(*, procedure: Procedure) -> list[tuple[str, list]]:
    """Return the components grouped by case, in the order of their first appearance."""
    groups: dict[str, list] = {}
    for component in procedure.components.all():
        groups.setdefault(component.case, []).append(component)
    return list(groups.items())


def procedure_get(*, code: str) -> Procedure:
    """Return the active procedure with this code, with everything its page shows."""
    return (
        _catalogue_base()
        .prefetch_related("components", "fees", "channels")
        .get(code=code)
    )


FACETS_CACHE_SECONDS = 300


CATALOGUE_VERSION = "catalogue:version"
# The public pages made from the catalogue (home, procedure pages, guide, FAQ) are kept under its version.
CATALOGUE_PAGES = PageVersion(counters=(CATALOGUE_VERSION,))


def _bump_catalogue_version() -> None:
    try:
        cache.incr(CATALOGUE_VERSION)
    except ValueError:
        cache.set(CATALOGUE_VERSION, 2, None)


def catalogue_changed() -> None:
    """Forget the cached filter lists and pages (called when a procedure, agency or field changes).

    Bumped now, so the change shows at once to this process, and again when the transaction commits: a
    page another request rendered in between, from the rows as they were before the commit, would
    otherwise be kept under the new version.
    """
    _bump_catalogue_version()
    transaction.on_commit(_bump_catalogue_version)


def catalogue_version() -> int:
    return cache.get_or_set(CATALOGUE_VERSION, 1, None)


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

    return [p for p in _cached(f"frequent:{limit + 1}", compute) if p.code != exclude_code][:limit]


def online_level_choices():
    return OnlineLevel.choices


def scope_choices():
    return ImplementationLevel.choices
