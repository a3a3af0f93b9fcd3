"""The catalogue's search: the procedures a query and the filters find, ranked by relevance."""

import hashlib
import re

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from common.collation import vi_order

from ..models import Agency, Field, Procedure
from ..popularity import popularity_now
from ..search import Query, Term, analyse, marks_of
from ..search import catalogue as search_catalogue
from .catalogue import cached, catalogue_version
from .ranking import (
    _LIKE, RELEVANCE_SPAN, VARIANT_STEP, StoredSearchVector, _exact, _like, _local, _matching, _matching_any,
    _popular, _relevance, _term_hits, _tsquery,
)

MAX_QUERY_LENGTH = 200

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
# A search whose rarest word is in more rows than this reads the copy's words tagged with their bucket of ids
# (migration procedures 0018), a bucket after the other until it has its candidates: one bucket's share of each
# word's list rather than the whole list, at any size of the catalogue. A rarer word's whole list is read at once
# (asking every bucket would cost more than reading it).
BUCKETED_FROM = 2000
BUCKET_SHIFT = 12  # 4 096 ids a bucket: the migration's `id >> 12`
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
# The search's narrow copy of the searched columns, kept by a trigger (migration procedures 0016; PostgreSQL only):
# the candidates are read there, a row a fraction of the procedure's. Codes are matched on the procedure's text
# (its trigram index), which the copy does not hold.
_SEARCH_TABLE = "procedures_searchrow"
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
    table = _SEARCH_TABLE if len(words) == len(terms) else _TABLE
    where, params = [scope], list(params)
    for term in terms:
        if term.is_code_like:
            patterns = [_like(f" {term.word}"), *[_like(f" {word} ") for word in term.whole_words]]
            where.append("(" + " OR ".join([f"p.search_text {_LIKE}"] * len(patterns)) + ")")
            params += patterns
    selected = ", ".join(["p.id", *(f"p.{column}" for column in columns)])
    if not words:
        return f"SELECT {selected} FROM {table} p WHERE {' AND '.join(where)} LIMIT {SEARCH_CANDIDATES + 1}", params
    by_frequency = sorted(((_frequency(t, version), i) for i, t in enumerate(words)))
    indexed = [words[i] for n, (frequency, i) in enumerate(by_frequency) if n == 0 or frequency <= INDEXED_WORD_LIMIT]
    checked = [t for t in words if t not in indexed]
    if table == _SEARCH_TABLE and by_frequency[0][0] > BUCKETED_FROM:
        return _bucketed_sql(selected, where, params, indexed, checked, rarest=by_frequency[0][0])
    where.append("p.search_vector @@ to_tsquery('simple'::regconfig, %s)")
    params.append(" & ".join(_tsquery(t) for t in indexed))
    if not checked:
        return f"SELECT {selected} FROM {table} p WHERE {' AND '.join(where)} LIMIT {SEARCH_CANDIDATES + 1}", params
    scanned = f"SELECT {selected}, p.search_vector FROM {table} p WHERE {' AND '.join(where)} LIMIT {SCAN_LIMIT}"
    params.append(" & ".join(_tsquery(t) for t in checked))
    return (f"SELECT p.* FROM ({scanned}) p WHERE p.search_vector @@ to_tsquery('simple'::regconfig, %s) "
            f"LIMIT {SEARCH_CANDIDATES + 1}"), params


def _bucketed_sql(selected: str, where: list[str], params: list, indexed: list[Term], checked: list[Term], *,
                  rarest: int) -> tuple[str, list]:
    """SQL of _candidates_sql's candidates read a bucket of ids after the other (the copy's bucket_vector).

    Each bucket's rows with every word come from that bucket's lists (the tsquery's words tagged with the
    bucket's number), the commonest words' too: a bucket's list holds 4 096 rows at most, and checking them on
    the rows cost more (at 100 000 procedures, "lại quyết" read 326 rows a bucket to keep 50: 1.2 ms a bucket).
    The outer LIMIT stops asking at the bucket that completes the candidates. With words the untagged search
    checks on the rows (`checked`), the buckets asked are those that hold about SCAN_LIMIT rows of the rarest
    word (the ids taken as dense), as the untagged search reads SCAN_LIMIT rows of it at most.
    """
    tagged = re.sub(r"'([^']+)'", r"'#|\1'", " & ".join(_tsquery(t) for t in [*indexed, *checked]))
    conditions = " AND ".join([*where, "p.bucket_vector @@ replace(%s, '#', b.n::text)::tsquery"])
    limit = f"LIMIT {SEARCH_CANDIDATES + 1}"
    last = f"max(s.id) >> {BUCKET_SHIFT}"
    if checked:
        # The buckets that hold SCAN_LIMIT rows of the rarest word: SCAN_LIMIT ÷ (its share of the rows × a bucket).
        # (The product in Python: in SQL, int4 << 12 overflows past 524 287 rows.)
        share = int(rarest) << BUCKET_SHIFT
        last = f"least({last}, ceil({SCAN_LIMIT} * (max(s.id) + 1)::float8 / {share})::bigint - 1)"
    return (f"SELECT c.* FROM generate_series(0, (SELECT {last} FROM {_SEARCH_TABLE} s)) b(n) CROSS JOIN LATERAL "
            f"(SELECT {selected} FROM {_SEARCH_TABLE} p WHERE {conditions} {limit}) c {limit}"), [*params, tagged]


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
    # Every row with enough of the words is ranked (SCAN_LIMIT at most), not the first SEARCH_CANDIDATES + 1 the
    # table's pages hold: those moved with every update of the rows, and "đăng ký hộ kinh doanh bán tạp hóa" found
    # the household business or not depending on the tests run before (or on the words counted in its agencies).
    ranked = _ranked(most.order_by().values("pk"), q, query)
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


def procedure_count(*, q: str = "", version: int | None = None, **filters) -> int:
    """Return how many procedures a search or a filter finds (a search's count stops past SEARCH_CANDIDATES).

    Without a query the count is kept per catalogue version: dropping the query of a search that found
    nothing does not count the catalogue again on every such search.
    """
    if q:
        return procedure_search(q=q, version=version, **filters).count()  # SEARCH_CANDIDATES + 1 at most
    raw = "|".join(f"{name}={filters.get(name) or ''}" for name in ("agency", "field", "level", "scope"))
    key = hashlib.sha256(raw.encode()).hexdigest()[:32]  # the visitor's text never goes into a cache key as typed
    return cached(f"count:{key}", lambda: procedure_search(version=version, **filters).count(), version=version)
