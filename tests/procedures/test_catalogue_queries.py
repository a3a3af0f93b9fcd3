"""Hit rates of realistic queries over the real national catalogue, on PostgreSQL (the production path).

Prints the rates; asserts floors reached honestly (the misses are printed too).
"""

import pytest
from django.db import connection

from procedures import search
from procedures.imports import procedures_import, records_from_file
from procedures.models import Agency, Field, Procedure
from procedures.selectors import SEARCH_CANDIDATES, catalogue_version, procedure_search, procedure_search_ids
from procedures.selectors import search as search_selectors

from .catalogue_queries import QUERIES
from .national_data import data_dir

# The rates measured after issue 25 (bench/results/search_quality.md), rounded down: a change that loses
# a query the search found fails here.
TOP1_FLOOR = 0.89
TOP3_FLOOR = 0.95


@pytest.mark.postgres
@pytest.mark.django_db
def test_realistic_queries_find_the_procedure_they_mean(monkeypatch):
    assert len(QUERIES) >= 150
    content = (data_dir() / "tthc_all.jsonl.gz").read_bytes()
    # The imported rows straddle two buckets of 4 096 ids (migration procedures 0018), wherever the sequence is.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('procedures_procedure', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, ((nextval(%s) >> 12) + 1 << 12) - 1000)", [sequence, sequence])
    report = procedures_import(records=records_from_file("tthc_all.jsonl.gz", content))
    assert report.count("created") == 2642

    top1 = top3 = 0
    misses = []
    for q, meant, _ in QUERIES:
        found = [p.national_code for p in procedure_search(q=q)[:3]]
        top1 += bool(found) and found[0] in meant
        hit3 = any(code in meant for code in found)
        top3 += hit3
        if not hit3:
            misses.append(f"  {q!r}: meant {sorted(meant)}, got {found}")
    rate1, rate3 = top1 / len(QUERIES), top3 / len(QUERIES)
    print(f"\n{len(QUERIES)} queries: top-1 {rate1:.1%}, top-3 {rate3:.1%}")
    print("not in the first three:\n" + "\n".join(misses))
    assert rate1 >= TOP1_FLOOR and rate3 >= TOP3_FLOOR

    # The catalogue page ranks with one statement of its own (procedure_search_ids): the same procedures in
    # the same order as procedure_search, with and without filters.
    agency = Agency.objects.filter(procedures__isnull=False).values_list("code", flat=True).first()
    field = Field.objects.filter(procedures__national_code="1.001193").values_list("code", flat=True).first()
    for q, _, _ in QUERIES:
        for filters in ({}, {"agency": agency}, {"field": field}, {"level": 4}, {"scope": "xa"}):
            ids, more = procedure_search_ids(q=q, **filters)
            expected = list(procedure_search(q=q, **filters).values_list("pk", flat=True))
            assert (ids, more) == (expected[:SEARCH_CANDIDATES], len(expected) > SEARCH_CANDIDATES), (q, filters)

    # Each word is looked up as the catalogue's words it starts (search.MAX_COMPLETIONS): the same answers
    # as its prefix, for the queries and for the same queries with their last word cut short.
    queries = [q for q, _, _ in QUERIES] + [q[:-2] for q, _, _ in QUERIES if len(q.split()[-1]) > 3]
    version = catalogue_version()
    completed = [t for q in queries for t in search.analyse(q, version=version).terms if t.completions]
    assert len(completed) >= len(queries)  # most words are looked up as words, not as prefixes
    as_words = [procedure_search_ids(q=q) for q in queries]
    monkeypatch.setattr(search, "MAX_COMPLETIONS", 0)
    assert [procedure_search_ids(q=q) for q in queries] == as_words
    monkeypatch.undo()

    # Read a bucket of ids after the other (what a catalogue of 100 000 does for its common words, migration
    # 0018), every query finds what it found: the same results where they are all ranked, the same first three
    # where only the first SEARCH_CANDIDATES + 1 found are.
    monkeypatch.setattr(search_selectors, "BUCKETED_FROM", 0)
    bucketed = [procedure_search_ids(q=q) for q, _, _ in QUERIES]  # the first of `queries`, in order
    plain = as_words[:len(QUERIES)]
    assert [r for r, (_, more) in zip(bucketed, plain) if not more] == [r for r in plain if not r[1]]
    national = dict(Procedure.objects.values_list("pk", "national_code"))
    firsts = [[national[pk] for pk in found[:3]] for found, _ in bucketed]
    rate1 = sum(bool(f) and f[0] in meant for f, (_, meant, _) in zip(firsts, QUERIES)) / len(QUERIES)
    rate3 = sum(any(c in meant for c in f) for f, (_, meant, _) in zip(firsts, QUERIES)) / len(QUERIES)
    print(f"read a bucket after the other: top-1 {rate1:.1%}, top-3 {rate3:.1%}")
    assert rate1 >= TOP1_FLOOR and rate3 >= TOP3_FLOOR
