"""Which words of a search the full-text index should intersect (procedures.selectors.search.INDEXED_WORD_LIMIT).

A two-word search finds its candidates from the GIN index of the rarest word; the second word is either
checked on the rows read (at most SCAN_LIMIT) or intersected in the index with the first, so that only the
rows with both are read. This times the candidate query (`_candidates_sql` with the ranking columns, as the
catalogue page runs it) both ways, in-process, for pairs of a rare word (2–5 % of the procedures) and a
second word from one frequency band, at each catalogue size (demo generator, the public benchmark's data).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_words python bench/search_words.py [10000 100000]

Writes bench/results/search_words.{md,json} (BENCH_OUT to write elsewhere). The database is flushed first.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
from production_env import production_secrets  # noqa: E402  (bench/: the DEBUG-off settings want secrets)

production_secrets()
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results"))
PAIRS = int(os.environ.get("BENCH_PAIRS", "12"))  # pairs per band
REPEAT = 7  # runs of each query; the median is kept
# Bands of the second word's frequency, as a share of the catalogue's procedures.
BANDS = [(0.05, 1 / 7), (1 / 7, 1 / 3), (1 / 3, 2 / 3), (2 / 3, 4 / 3), (4 / 3, 3.0)]
COMMON = ["dang ky", "cap giay", "giay phep", "cap lai giay"]


def timed(sql: str, params: list) -> float:
    from django.db import connection

    runs = []
    with connection.cursor() as cursor:
        for _ in range(REPEAT):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def both_ways(q: str, version: int) -> dict:
    """ms of the candidate query with the rarest word alone in the index, and with every word in it."""
    from procedures.selectors import search as selectors
    from procedures.search import analyse

    terms = analyse(q, version=version).terms
    scope, params = selectors._scope_sql(agency="", field="", level=None, scope="")
    out, kept = {}, selectors.INDEXED_WORD_LIMIT
    try:
        for way, limit in (("rarest", 0), ("every", 10**12)):
            selectors.INDEXED_WORD_LIMIT = limit
            sql, query_params = selectors._candidates_sql(scope, params, terms, version,
                                                          columns=selectors.RANK_COLUMNS)
            out[way] = timed(sql, query_params)
    finally:
        selectors.INDEXED_WORD_LIMIT = kept
    return out


def pairs_by_band(size: int, version: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    from procedures.search import catalogue

    counts = catalogue(version).vocabulary.counts
    words = sorted(w for w in counts if len(w) > 2 and w.isalpha())
    rare = [w for w in words if 0.02 * size <= counts[w] <= 0.05 * size]
    out = []
    for low, high in BANDS:
        second = [w for w in words if low * size <= counts[w] < high * size]
        queries = [f"{rng.choice(rare)} {rng.choice(second)}" for _ in range(PAIRS)] if rare and second else []
        out.append((f"{round(low * size)}–{round(high * size)}", queries))
    return out


def main(sizes: list[int]) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fixtures import catalogue_grow
    from procedures import selectors
    from procedures.search import catalogue

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    results = []
    for size in sizes:
        catalogue_grow(size)
        version = selectors.catalogue_version() + size  # a version of its own: the vocabulary is read again
        counts = catalogue(version).vocabulary.counts
        rng = random.Random(size)
        for band, queries in pairs_by_band(size, version, rng):
            timings = [both_ways(q, version) for q in queries]
            results.append({"procedures": size, "second word": band, "pairs": len(timings),
                            "rarest": statistics.mean(t["rarest"] for t in timings) if timings else None,
                            "every": statistics.mean(t["every"] for t in timings) if timings else None})
            print(results[-1], flush=True)
        for q in COMMON:
            timing = both_ways(q, version)
            frequency = max(counts[w] for w in q.split())
            results.append({"procedures": size, "second word": f"“{q}” ({frequency})", "pairs": 1, **timing})
            print(results[-1], flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "search_words.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    lines = ["| procedures | second word's rows (a named search: its commonest word's) | pairs "
             "| rarest word in the index, ms | both in the index, ms |",
             "|---:|---|---:|---:|---:|"]
    for r in results:
        def ms(value):
            return "–" if value is None else f"{value:.2f}"
        lines.append(f"| {r['procedures']:,} | {r['second word']} | {r['pairs']} | {ms(r['rarest'])} | {ms(r['every'])} |"
                     .replace(",", " "))
    (OUT / "search_words.md").write_text(
        "# Catalogue search: the rarest word alone in the index, or both (bench/search_words.py)\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Mean of the medians of 7 runs of the candidate "
        "query per pair, in-process, PostgreSQL on loopback; the first word of each pair is found in 2–5 % of "
        "the procedures.\n\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [10000, 100000]))
