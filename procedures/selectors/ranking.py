"""The search's SQL pieces: which rows have a query's words, and the scores that rank them."""

import math

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Case, Expression, IntegerField, Q, QuerySet, Value, When

from ..search import Query, Term


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
        # The word itself (or one it may be a typo of) scores 10; a longer word it only starts ("hoa" of "hoặc",
        # "ban" of "bản") 7: a long name gathering such starts no longer outranks a short one with the words.
        whole = [_like(f" {word} ") for word in (term.word, *term.whole_words)]
        sql.append("CASE WHEN " + " OR ".join([f"{{t}}.name_folded {_LIKE}"] * len(whole))
                   + f" THEN 10 WHEN {{t}}.name_folded {_LIKE} THEN {PREFIX_SCORE} ELSE 0 END")
        params += [*whole, _like(f" {term.word}")]
    # A rarer variant of the main procedure (Cấp lại…, … có yếu tố nước ngoài) the query does not ask for:
    # a step lower than the main one, never below a name with one more of the query's words.
    if variants and query.variants:
        patterns = [_like(f" {v.lstrip('^')} ", start=v.startswith("^")) for v in query.variants]
        sql.append("CASE WHEN " + " OR ".join([f"{{t}}.name_folded {_LIKE}"] * len(patterns))
                   + f" THEN -{VARIANT_STEP} ELSE 0 END")
        params += patterns
    return _OnProcedure(" + ".join(sql), tuple(params))


VARIANT_STEP = 5  # less than the 10 of one more word of the query in the name
PREFIX_SCORE = 7  # a word of the query that only starts a word of the name
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
