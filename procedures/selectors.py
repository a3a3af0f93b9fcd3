"""Reads of the procedure catalogue: search with filters, ranked by relevance."""

import hashlib
import math
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Case, Exists, Expression, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.collation import vi_order
from common.page_cache import PageVersion
from common.prepared import Prepared

from . import versioning
from .agency_labels import agencies_grouped
from .constants import AgencyLevel, Channel, ComponentRole, ImplementationLevel, OnlineLevel
from .models import Agency, FeeItem, Field, Procedure, ProcedureChannel, RequiredComponent
from .national import code_parts
from .popularity import popularity_now
from .search import Query, Term, analyse, marks_of
from .search import catalogue as search_catalogue

MAX_QUERY_LENGTH = 200


class _OnProcedure(Expression):
    """A ranking expression over the procedure table's columns, written as SQL ({t}: the table's alias).

    The ranking's dozen conditions (exact code or name, popularity, the phrase and each word in the name,
    the level) are plain SQL that PostgreSQL and SQLite read alike; built as Case/When they cost more
    Python per search (2 ms to resolve and compile) than the database spent ranking.
    """

    output_field = IntegerField()

    def __init__(self, sql: str, params: tuple):
        super().__init__()
        self.sql, self.params = sql, params

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return "(" + self.sql.replace("{t}", table) + ")", list(self.params)


def _like(text: str, *, start: bool = False) -> str:
    """A LIKE pattern for `text` anywhere (or at the start), its own % and _ taken literally."""
    escaped = connection.ops.prep_for_like_query(text)
    return f"{escaped}%" if start else f"%{escaped}%"


_LIKE = "LIKE %s ESCAPE '\\'"


def _exact(q: str, query: Query) -> _OnProcedure:
    """1 for the procedure the query names exactly: its code, or its whole name (repeated words kept)."""
    code = "".join(q.split()).upper()
    return _OnProcedure(
        "CASE WHEN {t}.code = %s OR {t}.national_code = %s OR {t}.name_folded IN (%s, %s) THEN 1 ELSE 0 END",
        (code, code, f" {query.phrase} ", f" {query.typed_phrase} "),
    )


def _relevance(query: Query, *, variants: bool = True) -> _OnProcedure:
    """Score how well the name (not the field or agency) matches: the phrase, then its words, then whether
    it is a rarer variant of the main procedure (without `variants`, procedure_search_ids scores that)."""
    phrase = f" {query.phrase}"
    sql = [f"CASE WHEN {{t}}.name_folded {_LIKE} THEN 800 WHEN {{t}}.name_folded {_LIKE} THEN 700 ELSE 0 END"]
    params = [_like(phrase, start=True), _like(phrase)]
    for term in query.terms:
        patterns = [_like(f" {term.word}"), *[_like(f" {word} ") for word in term.whole_words]]
        sql.append("CASE WHEN " + " OR ".join([f"{{t}}.name_folded {_LIKE}"] * len(patterns)) + " THEN 10 ELSE 0 END")
        params += patterns
    # A rarer variant of the main procedure (Cấp lại…, … có yếu tố nước ngoài) the query does not ask for:
    # a step lower than the main one, never below a name with one more of the query's words.
    if variants and query.variants:
        patterns = [_like(f" {v.lstrip('^')} ", start=v.startswith("^")) for v in query.variants]
        sql.append("CASE WHEN " + " OR ".join([f"{{t}}.name_folded {_LIKE}"] * len(patterns))
                   + f" THEN -{VARIANT_STEP} ELSE 0 END")
        params += patterns
    return _OnProcedure(" + ".join(sql), tuple(params))


VARIANT_STEP = 5  # less than the 10 of one more word of the query in the name
RELEVANCE_SPAN = 100_000  # above any relevance: 800 for the phrase and 10 a word, MAX_WORDS words


def _local() -> _OnProcedure:
    """A province's portal serves its own procedures first: province and commune level before ministry level."""
    return _OnProcedure(f"CASE WHEN {{t}}.levels {_LIKE} OR {{t}}.levels {_LIKE} THEN 1 ELSE 0 END",
                        (_like(",tinh,"), _like(",xa,")))


def _has_term(term: Term) -> Q:
    """The row has a word starting with the term, or one of the words it may be a typo of."""
    condition = Q(search_text__contains=f" {term.word}")
    for word in term.whole_words:
        condition |= Q(search_text__contains=f" {word} ")
    return condition


def _tsquery(term: Term) -> str:
    """The term in a tsquery: the words it starts (when the vocabulary has them) or its prefix, or its typos'."""
    options = [f"'{word}'" for word in term.completions] or [f"'{term.word}':*"]
    options += [f"'{word}'" for word in term.whole_words]
    return f"({' | '.join(options)})"


def _matching_any(qs: QuerySet, terms: list[Term]) -> QuerySet:
    """Rows with one of the terms at least (from the GIN index on PostgreSQL)."""
    if connection.vendor != "postgresql":
        condition = Q()
        for term in terms:
            condition |= _has_term(term)
        return qs.filter(condition)
    words = [t for t in terms if not t.is_code_like]
    condition = Q(*[_has_term(t) for t in terms if t.is_code_like], _connector=Q.OR)
    if words:
        raw = " | ".join(_tsquery(t) for t in words)
        condition |= Q(document=SearchQuery(raw, search_type="raw", config="simple"))
        qs = qs.annotate(document=StoredSearchVector())
    return qs.filter(condition)


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


def _term_hits(terms: list[Term], *, documents: bool = False):
    """Count how many of the terms the row's search text has (used when not all of them match).

    With `documents` (PostgreSQL, the query annotated with `document`), words are looked up in the
    stored tsvector rather than the text: ten words over a few thousand rows cost a tenth.
    """
    total = Value(0, output_field=IntegerField())
    for term in terms:
        if documents and not term.is_code_like:
            has = Q(document=SearchQuery(_tsquery(term), search_type="raw", config="simple"))
        else:
            has = _has_term(term)
        total = total + Case(When(has, then=Value(1)), default=Value(0))
    return total


class StoredSearchVector(Expression):
    """The generated tsvector column of the folded search text (migration 0006, PostgreSQL only).

    Stored rather than computed in the query: a common word ("nhận") matches most rows, and parsing
    every row's text again cost half a second at 10 000 procedures.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        # The procedure table's alias in this query (U0 when the search is a subquery of another).
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []
POPULAR_BUCKETS = (30, 3, 0.3)  # decayed submission counts that lift a procedure a step


def _popular(now_score: float) -> _OnProcedure:
    """Bucket the decayed submission count: a procedure asked for ten times as often ranks a step higher."""
    whens = " ".join(f"WHEN {{t}}.popularity >= %s THEN {len(POPULAR_BUCKETS) - i}" for i in range(len(POPULAR_BUCKETS)))
    return _OnProcedure(f"CASE {whens} ELSE 0 END", tuple(now_score + math.log(count) for count in POPULAR_BUCKETS))


# A search ranks at most this many of the procedures that match it (the first the index finds), so that a
# common word costs the same at 10 000 or 100 000 procedures; the page then says there are more. 100 rather
# than 500 (issue 25): ranking 500 rows cost an uncached search 1.4 ms more of the process's and the database's
# time than 200, and 200 0.3 ms more than 100 (10 000 procedures, of about 4 ms in all); the 245 realistic
# queries on the national catalogue find the same first three with 500, 200 or 100 (five pages of results are
# more than anyone reads; the page asks for another word or a filter).
SEARCH_CANDIDATES = 100
# The rows of a search's rarest word read at most (PostgreSQL): past them, rows with every word are not looked for.
SCAN_LIMIT = 2000
# A word found this often in the catalogue at most is looked up in the index with the search's rarest: the
# index intersects their lists, and only the rows with both are read. Past it, the longer list cost more
# than the rows it spares (measured at 10 000 and 100 000 procedures: bench/results/search_words.md).
INDEXED_WORD_LIMIT = 10_000
# The columns of a procedure the catalogue's table shows (its long texts are left in the table).
LISTING_FIELDS = ("code", "national_code", "name", "implementing_text", "levels", "online_level", "is_frequent",
                  "popularity", "field__code", "field__name")


def procedure_search(
    *, q: str = "", agency: str = "", field: str = "", level: int | None = None, scope: str = "",
    version: int | None = None,
) -> QuerySet[Procedure]:
    """Return active procedures matching `q` and the filters: the exact name or code first, then
    the procedures citizens submit most, then the best matches of the name.

    Every word of the query, or its start, must appear in the folded search text (any order, no
    diacritics needed, i/y either way). Everyday names (synonyms edited in the admin) stand for the
    words of the legal names, and a word that is no word of the catalogue is read as any word one
    typo away. When no procedure has them all and the query has three words or more, procedures with
    most of the words are returned instead, so a stray word does not hide the procedure.

    With a query, only the first SEARCH_CANDIDATES + 1 matches are ranked and returned (the count says
    "more than" past SEARCH_CANDIDATES): the cost of a search does not grow with the catalogue.
    `version` is the catalogue's version when the caller has read it already.
    """
    qs = _scope(agency, field, level, scope)
    query, version = _analysed(q, version)
    if not query.terms:
        return _listing(qs).order_by("-is_frequent", "-popularity", vi_order("name"))
    filters = {"agency": agency, "field": field, "level": level, "scope": scope}
    everything = _ranked(_with_every_term(qs, query.terms, version, filters), q, query).order_by(*RANK_ORDER)
    # Not .exists(): without the ranking's order PostgreSQL would run the candidates' subquery once per row.
    if len(query.terms) < 3 or everything.values_list("pk", flat=True)[:1]:
        return everything
    return _with_most_terms(qs, q, query, version)


def procedure_search_ids(
    *, q: str, agency: str = "", field: str = "", level: int | None = None, scope: str = "",
    version: int | None = None,
) -> tuple[list[int], bool]:
    """Return the ids of procedure_search's results, best first (SEARCH_CANDIDATES at most), and whether
    it found more.

    On PostgreSQL one statement written here finds and ranks the candidates, with the same conditions and
    order as procedure_search (tests/procedures/test_catalogue_queries.py compares them on the national
    catalogue): built through the ORM the same search took 8.5 ms in-process at 10 000 procedures, 4.1 ms
    now, and the database read each candidate's row twice.
    """
    filters = {"agency": agency, "field": field, "level": level, "scope": scope}
    query, version = _analysed(q, version)
    if connection.vendor == "postgresql":
        candidates, params = _candidates_sql(*_scope_sql(**filters), query.terms, version, columns=RANK_COLUMNS)
        exact, popular, relevance, local = (_exact(q, query), _popular(popularity_now()),
                                            _relevance(query, variants=False), _local())
        # One number orders as the four scores do (relevance is below RELEVANCE_SPAN): fewer values to read.
        key = (f"((({exact.sql}) * 4 + ({popular.sql})) * {RELEVANCE_SPAN} + ({relevance.sql})) * 2 + ({local.sql})"
               .replace("{t}", "c"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT c.id, {key} AS k, c.name_folded FROM ({candidates}) c "
                           f"ORDER BY k DESC, length(c.name_folded), c.name, c.id",
                           [*exact.params, *popular.params, *relevance.params, *local.params, *params])
            rows = cursor.fetchall()
        mask = query.variant_mask
        steps = [bool(marks & mask) for marks in marks_of([(row[0], row[2]) for row in rows], version)]
        if any(steps):
            # The variants' step, here rather than in the statement: 27 LIKEs on each of 500 names cost the
            # database 2 ms; this process keeps each procedure's marks (search.marks_of). Relevance in tens,
            # the step 5: a stable sort on the statement's order gives the order procedure_search's SQL gives.
            order = sorted(range(len(rows)), key=lambda i: -(rows[i][1] - 2 * VARIANT_STEP * steps[i]))
            rows = [rows[i] for i in order]
        ids = [row[0] for row in rows]
    else:
        everything = _ranked(_with_every_term(_scope(**filters), query.terms, version, filters), q, query)
        ids = list(everything.order_by(*RANK_ORDER).values_list("pk", flat=True))
    if not ids and len(query.terms) >= 3:
        ids = list(_with_most_terms(_scope(**filters), q, query, version).values_list("pk", flat=True))
    return ids[:SEARCH_CANDIDATES], len(ids) > SEARCH_CANDIDATES


# No trigram similarity here: over a common word's 7 000 matches it cost 0.3 s and ranked as the length does.
# The id last: procedures of the same name (one per level) keep their order from one page to the next.
RANK_ORDER = ("-exact", "-popular", "-relevance", "-local", Length("name_folded").asc(), "name", "pk")


def _scope(agency, field, level, scope) -> QuerySet[Procedure]:
    """The active procedures the filters keep (not built for the statement of procedure_search_ids: a
    queryset with its filters cost a twentieth of an uncached search's Python)."""
    qs = Procedure.objects.filter(is_active=True)
    if agency:
        qs = qs.filter(agencies__code=agency)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(online_level=level)
    if scope:
        qs = qs.filter(levels__contains=f",{scope},")
    return qs


def _analysed(q: str, version: int | None) -> tuple[Query, int]:
    if version is None:
        version = catalogue_version()
    return analyse(q[:MAX_QUERY_LENGTH], version=version), version


def _with_every_term(qs: QuerySet, terms: list[Term], version: int, filters: dict):
    """The first SEARCH_CANDIDATES + 1 rows (ids) of `qs` with every term (see _candidates_sql on PostgreSQL,
    where `filters`, _scope's, say which rows `qs` holds)."""
    if connection.vendor != "postgresql":
        return _matching(qs, terms).order_by().values("pk")[:SEARCH_CANDIDATES + 1]
    candidates, params = _candidates_sql(*_scope_sql(**filters), terms, version)
    return RawSQL(f"SELECT c.id FROM ({candidates}) c", tuple(params))


_TABLE = Procedure._meta.db_table
# The columns the ranking reads (RANK_ORDER): a search's candidates carry them, and no row is read twice.
RANK_COLUMNS = ("code", "national_code", "name_folded", "popularity", "levels", "name")


def _scope_sql(agency: str, field: str, level: int | None, scope: str) -> tuple[str, list]:
    """The conditions of _scope's filters, on the procedure table as p, in SQL."""
    sql, params = ["p.is_active"], []
    if agency:
        through = Procedure.agencies.through._meta.db_table
        sql.append(f"EXISTS (SELECT 1 FROM {through} pa JOIN {Agency._meta.db_table} a ON a.id = pa.agency_id "
                   f"WHERE pa.procedure_id = p.id AND a.code = %s)")
        params.append(agency)
    if field:
        sql.append(f"p.field_id IN (SELECT f.id FROM {Field._meta.db_table} f WHERE f.code = %s)")
        params.append(field)
    if level:
        sql.append("p.online_level = %s")
        params.append(level)
    if scope:
        sql.append(f"p.levels {_LIKE}")
        params.append(_like(f",{scope},"))
    return " AND ".join(sql), params


def _candidates_sql(scope: str, params: list, terms: list[Term], version: int, *, columns=()) -> tuple[str, list]:
    """SQL of the first SEARCH_CANDIDATES + 1 procedures (as p: `scope` holds) with every term (PostgreSQL).

    The index intersects the lists of the query's rarest word and of every word as rare as INDEXED_WORD_LIMIT:
    only rows with all of them are read. A commoner word is checked on the rows found (SCAN_LIMIT at most):
    intersecting the lists of several common words ("dang", "ky") cost 0.1 s at 100 000 procedures, and
    reading a common word's every row grew with the catalogue. Codes are matched on the text (the trigram
    index).
    """
    words = [t for t in terms if not t.is_code_like]
    where, params = [scope], list(params)
    for term in terms:
        if term.is_code_like:
            patterns = [_like(f" {term.word}"), *[_like(f" {word} ") for word in term.whole_words]]
            where.append("(" + " OR ".join([f"p.search_text {_LIKE}"] * len(patterns)) + ")")
            params += patterns
    selected = ", ".join(["p.id", *(f"p.{column}" for column in columns)])
    if not words:
        return f"SELECT {selected} FROM {_TABLE} p WHERE {' AND '.join(where)} LIMIT {SEARCH_CANDIDATES + 1}", params
    by_frequency = sorted(((_frequency(t, version), i) for i, t in enumerate(words)))
    indexed = [words[i] for n, (frequency, i) in enumerate(by_frequency) if n == 0 or frequency <= INDEXED_WORD_LIMIT]
    where.append("p.search_vector @@ to_tsquery('simple'::regconfig, %s)")
    params.append(" & ".join(_tsquery(t) for t in indexed))
    checked = [t for t in words if t not in indexed]
    if not checked:
        return f"SELECT {selected} FROM {_TABLE} p WHERE {' AND '.join(where)} LIMIT {SEARCH_CANDIDATES + 1}", params
    scanned = f"SELECT {selected}, p.search_vector FROM {_TABLE} p WHERE {' AND '.join(where)} LIMIT {SCAN_LIMIT}"
    params.append(" & ".join(_tsquery(t) for t in checked))
    return (f"SELECT p.* FROM ({scanned}) p WHERE p.search_vector @@ to_tsquery('simple'::regconfig, %s) "
            f"LIMIT {SEARCH_CANDIDATES + 1}"), params


def _with_most_terms(qs: QuerySet, q: str, query: Query, version: int) -> QuerySet[Procedure]:
    """Nothing has every word of a longer query: the rows with most of them (half at least), so the
    words a citizen adds that no name has ("… bằng tốt nghiệp") do not empty the page. They are ranked
    as the other results, on the words their names have (the relevance), not on the words of their
    field and agencies.

    A row with that many has one of the rarest terms at least: the index finds those (SCAN_LIMIT at
    most on PostgreSQL), and the rest are never read.
    """
    needed = max(2, -(-len(query.terms) // 2))
    rarest = sorted(query.terms, key=lambda t: _frequency(t, version))[:len(query.terms) - needed + 1]
    scanned = _matching_any(qs, rarest)
    documents = connection.vendor == "postgresql"
    if documents:
        scanned = Procedure.objects.filter(pk__in=scanned.order_by().values("pk")[:SCAN_LIMIT]).annotate(
            document=StoredSearchVector())
    most = scanned.annotate(hits=_term_hits(query.terms, documents=documents)).filter(hits__gte=needed)
    ranked = _ranked(most.order_by().values("pk")[:SEARCH_CANDIDATES + 1], q, query)
    return ranked.order_by(*RANK_ORDER)


def _listing(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    return qs.select_related("field").only(*LISTING_FIELDS).prefetch_related(
        Prefetch("agencies", queryset=Agency.objects.only("name").order_by(vi_order("name")))
    )


def _ranked(candidates, q: str, query: Query) -> QuerySet[Procedure]:
    return _listing(Procedure.objects.filter(pk__in=candidates)).annotate(
        exact=_exact(q, query), popular=_popular(popularity_now()), relevance=_relevance(query), local=_local()
    )


def _frequency(term: Term, version: int) -> int:
    vocabulary = search_catalogue(version).vocabulary
    if term.variants:  # a number: its spellings, whole words (not the codes that start with its digits)
        return sum(vocabulary.counts[w] for w in term.completions + term.whole_words)
    return vocabulary.prefix_count(term.word) + sum(vocabulary.counts[w] for w in term.whole_words)


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


def procedure_count(*, q: str = "", version: int | None = None, **filters) -> int:
    """Return how many procedures a search or a filter finds (a search's count stops past SEARCH_CANDIDATES).

    Without a query the count is kept per catalogue version: dropping the query of a search that found
    nothing does not count the catalogue again on every such search.
    """
    if q:
        return procedure_search(q=q, version=version, **filters).count()  # SEARCH_CANDIDATES + 1 at most
    raw = "|".join(f"{name}={filters.get(name) or ''}" for name in ("agency", "field", "level", "scope"))
    key = hashlib.sha256(raw.encode()).hexdigest()[:32]  # the visitor's text never goes into a cache key as typed
    return _cached(f"count:{key}", lambda: procedure_search(version=version, **filters).count(), version=version)


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


@dataclass
class ComponentGroup:
    """One case's components on the procedure's page (the case is blank where one list serves every dossier)."""

    case: str
    uploads: list = dataclass_field(default_factory=list)
    shown: list = dataclass_field(default_factory=list)
    notes: list = dataclass_field(default_factory=list)


@dataclass
class ProcedurePage:
    """One procedure with everything its page shows."""

    procedure: Procedure
    agencies: list[Agency]
    components: list[RequiredComponent]
    fees: list[FeeItem]
    channels: list[ProcedureChannel]

    @property
    def channel_rows(self) -> list[ProcedureChannel]:
        """The per-channel rows of the page; a procedure entered by hand gets its online row from its
        processing time and fees."""
        if self.channels:
            return self.channels
        return [ProcedureChannel(
            procedure=self.procedure, channel=Channel.ONLINE, time_value=Decimal(self.procedure.processing_days),
            time_unit=_("Ngày làm việc"), fee_amount=None if self.fees else 0,
            fee_text=_("Theo mục Phí, lệ phí bên dưới") if self.fees else _("Miễn phí"),
        )]

    @property
    def agency_lines(self) -> tuple[list[Agency], list]:
        """The agencies named one by one, and each commune's agencies of a kind summed up (agency_labels)."""
        return agencies_grouped(self.agencies)

    @property
    def component_groups(self) -> list[ComponentGroup]:
        """The components grouped by case, in the order of their first appearance, each case's papers to upload,
        to show and its notes apart (the papers every dossier needs before the conditional ones)."""
        groups: dict[str, ComponentGroup] = {}
        for component in self.components:
            group = groups.setdefault(component.case, ComponentGroup(case=component.case))
            {ComponentRole.UPLOAD: group.uploads, ComponentRole.SHOW: group.shown}.get(
                component.role, group.notes).append(component)
        for group in groups.values():
            group.uploads = _one_row_per_paper(group.uploads)
            group.uploads.sort(key=lambda c: bool(c.condition))
        return list(groups.values())



def _one_row_per_paper(uploads: list) -> list:
    """The same paper asked in the counter's and the post's tables is one row naming both channels
    (`channel_labels`, blank for every channel)."""
    rows: dict[tuple, RequiredComponent] = {}
    for component in uploads:
        row = rows.setdefault((component.name, component.condition, component.is_required), component)
        labels = getattr(row, "channel_labels", None)
        if labels is None:
            labels = row.channel_labels = []
        if component.channel:
            labels.append(str(component.get_channel_display()).lower())
        else:
            labels.append("")
    for row in rows.values():
        row.channel_labels = [] if "" in row.channel_labels else row.channel_labels
    return list(rows.values())

# The lists of one procedure's page, their SQL compiled once per process (common.prepared).
_PAGE_AGENCIES = Prepared(lambda procedure: Agency.objects.filter(procedures=procedure).order_by(vi_order("name")))
_PAGE_COMPONENTS = Prepared(
    lambda procedure: RequiredComponent.objects.filter(procedure=procedure).order_by("position", "id"))
_PAGE_FEES = Prepared(lambda procedure: FeeItem.objects.filter(procedure=procedure).order_by("id"))
_PAGE_CHANNELS = Prepared(
    lambda procedure: ProcedureChannel.objects.filter(procedure=procedure).order_by("position", "id"))


def procedure_page(*, code: str) -> ProcedurePage:
    """Return the active procedure with this code and everything its page shows (Procedure.DoesNotExist if none).

    Five plain queries, each list in its own order, and the lists' SQL compiled once per process: in-process
    at 1 000 procedures 3.0 ms through the ORM, 1.9 ms so (through prefetch_related it had been more; the
    models' default order, which starts with the procedure, joined it again in each list only to sort one
    procedure's rows by its name).
    """
    procedure = Procedure.objects.filter(is_active=True).select_related("field").get(code=code)
    return ProcedurePage(
        procedure=procedure,
        agencies=_PAGE_AGENCIES.rows(procedure.pk),
        components=_PAGE_COMPONENTS.rows(procedure.pk),
        fees=_PAGE_FEES.rows(procedure.pk),
        channels=_PAGE_CHANNELS.rows(procedure.pk),
    )


FACETS_CACHE_SECONDS = 300


def catalogue_version() -> int:
    """Return the catalogue's version (procedures.versioning): it changes with every change of the catalogue and
    is never a number it held before, so neither a kept page nor what a process keeps per version (the search's
    vocabulary, the rendered rows) can be taken for another catalogue. No query but once a second per process."""
    return versioning.read()


# The public pages made from the catalogue (home, procedure pages, guide, FAQ) are kept under its version.
CATALOGUE_PAGES = PageVersion(local=catalogue_version)


def _cached(name: str, compute, *, version: int | None = None):
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
