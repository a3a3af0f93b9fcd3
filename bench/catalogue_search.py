"""Catalogue search as the catalogue grows: the real 2 642 procedures, then 10 000 and 100 000 (synthetic added).

Measures the search itself (the selector the catalogue page calls: count + first page), unique queries, no
response cache, on PostgreSQL; prints the plan (EXPLAIN ANALYZE) of a typical search at each size, and the
hit rates of tests/procedures/catalogue_queries.py with the search before this work (re-implemented below
as it was) and now.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_search \\
    TTHC_DATA_DIR=../shared/data/tthc-national-2026 python bench/catalogue_search.py [2642 10000 100000]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")


def _old_words(text):
    import re
    import unicodedata

    def fold(text):
        text = unicodedata.normalize("NFC", text or "").lower().replace("đ", "d")
        stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
        return unicodedata.normalize("NFC", stripped)

    return [w for w in (w.strip(".") for w in re.split(r"[^\w.]+", fold(text))) if w]


def old_rows():
    """(code, national code, name, name folded, search text) as the search before issue 14 stored them."""
    from procedures.models import Procedure

    out = []
    for p in Procedure.objects.select_related("field").prefetch_related("agencies"):
        texts = [p.code, p.code.replace(".", " "), p.name, p.field.name, *[a.name for a in p.agencies.all()]]
        out.append((p.code, p.national_code, p.name, " " + " ".join(_old_words(p.name)),
                    " " + " ".join(w for t in texts for w in _old_words(t))))
    return out


def old_search_codes(rows, q: str) -> list[str]:
    """The search before issue 14, as procedures/selectors.py had it (c8de9d1), over rows in memory."""
    words = _old_words

    def tokens(text, limit=12):
        seen = []
        for w in words(text):
            if w not in seen:
                seen.append(w)
            if len(seen) >= limit:
                break
        return seen

    ws = tokens(q[:200])
    phrase = " ".join(ws)
    scored = []
    for code, national, name, name_folded, search_text in rows:
        relevance = 0
        if code.lower() == phrase:
            relevance = 1000
        elif name_folded == f" {phrase}":
            relevance = 900
        elif name_folded.startswith(f" {phrase}"):
            relevance = 800
        elif f" {phrase}" in name_folded:
            relevance = 700
        elif len(ws) > 1 and all(f" {w}" in name_folded for w in ws):
            relevance = 600
        hits = sum(f" {w}" in search_text for w in ws)
        scored.append((hits, relevance, len(name), name, national))
    everything = [s for s in scored if s[0] == len(ws)]
    if len(ws) < 3 or everything:
        return [s[4] for s in sorted(everything, key=lambda s: (-s[1], s[2], s[3]))]
    needed = max(2, -(-len(ws) * 2 // 3))
    rest = [s for s in scored if s[0] >= needed]
    return [s[4] for s in sorted(rest, key=lambda s: (-s[0], -s[1], s[2], s[3]))]


def hit_rates(search) -> tuple[float, float]:
    from tests.procedures.catalogue_queries import QUERIES

    top1 = top3 = 0
    for q, meant in QUERIES:
        found = search(q)[:3]
        top1 += bool(found) and found[0] in meant
        top3 += any(code in meant for code in found)
    return top1 / len(QUERIES), top3 / len(QUERIES)


def unique_queries(n: int, seed: int = 14) -> list[str]:
    """Queries as people type them: 1-3 words of real names, some without diacritics, some with a typo."""
    from procedures.models import Procedure
    from procedures.text import fold
    from tests.procedures.catalogue_queries import QUERIES

    rng = random.Random(seed)
    names = list(Procedure.objects.order_by("?").values_list("name", flat=True)[:2000])
    out = {q for q, _ in QUERIES}
    while len(out) < n:
        words = rng.choice(names).split()
        start = rng.randrange(max(1, len(words) - 2))
        picked = words[start:start + rng.randint(1, 3)]
        q = " ".join(picked)
        if rng.random() < 0.6:
            q = fold(q)
        if rng.random() < 0.2 and len(q) > 6:
            i = rng.randrange(1, len(q) - 1)
            q = q[:i] + q[i + 1:]  # a letter missing
        out.add(q)
    return sorted(out)[:n]


def measure(queries: list[str]) -> dict:
    from django.core.paginator import Paginator

    from procedures.selectors import procedure_search

    procedure_search(q="khai sinh").count()  # builds the vocabulary once for this catalogue version
    times = []
    for q in queries:
        started = time.perf_counter()
        page = Paginator(procedure_search(q=q), 20).get_page(1)
        list(page.object_list)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"n": len(times), "mean": statistics.mean(times), "p50": times[len(times) // 2],
            "p95": times[int(len(times) * 0.95)], "max": times[-1]}


def explain(q: str) -> str:
    from django.db import connection

    from procedures.selectors import procedure_search

    sql, params = procedure_search(q=q)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(sizes: list[int]) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fixtures import catalogue_grow
    from procedures.imports import procedures_import, records_from_file
    from procedures.models import Procedure
    from procedures.selectors import procedure_search

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    data = Path(os.environ.get("TTHC_DATA_DIR", ROOT.parent / "shared" / "data" / "tthc-national-2026"))
    started = time.perf_counter()
    report = procedures_import(records=records_from_file("tthc_all.jsonl.gz", (data / "tthc_all.jsonl.gz").read_bytes()))
    print(f"import of the real records: {report.summary} in {time.perf_counter() - started:.1f} s")

    before_rows = old_rows()
    before = hit_rates(lambda q: old_search_codes(before_rows, q))
    after = hit_rates(lambda q: [p.national_code for p in procedure_search(q=q)[:3]])
    print(f"query set hit rates, before: top-1 {before[0]:.1%}, top-3 {before[1]:.1%}; "
          f"after: top-1 {after[0]:.1%}, top-3 {after[1]:.1%}")

    queries = unique_queries(300)
    for size in sizes:
        catalogue_grow(size)
        result = measure(queries)
        print(f"\n== {Procedure.objects.count()} procedures: {result['n']} unique queries, "
              f"mean {result['mean']:.1f} ms, p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
              f"max {result['max']:.1f} ms")
        print(explain("cap giay phep khai thac"))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2642, 10000, 100000])
