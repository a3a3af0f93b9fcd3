"""Hit rates of realistic queries over the real national catalogue, on PostgreSQL (the production path).

Prints the rates; asserts floors reached honestly (the misses are printed too).
"""

import pytest

from procedures.imports import procedures_import, records_from_file
from procedures.selectors import procedure_search

from .catalogue_queries import QUERIES
from .national_data import data_dir

TOP1_FLOOR = 0.85
TOP3_FLOOR = 0.95


@pytest.mark.postgres
@pytest.mark.django_db
def test_realistic_queries_find_the_procedure_they_mean():
    assert len(QUERIES) >= 50
    content = (data_dir() / "tthc_all.jsonl.gz").read_bytes()
    report = procedures_import(records=records_from_file("tthc_all.jsonl.gz", content))
    assert report.count("created") == 2642

    top1 = top3 = 0
    misses = []
    for q, meant in QUERIES:
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
