"""A typed word looked up as a prefix in the full-text index, or as the catalogue's words it starts
(procedures.search.MAX_COMPLETIONS).

'cong':* makes the GIN index collect every row of every word starting with "cong" before intersecting;
('cong' | 'congchung') names the same rows, and the index then reads only the parts of each word's list the
other words of the search leave possible. This times the catalogue page's search (procedure_search_ids,
in-process: analysis, the ranked candidate query, its rows) both ways, run alternately query by query, at each
catalogue size (demo generator, the public benchmark's data), for:

- the public benchmark's unique searches (two words of the first procedures' names, bench/public_data.py);
- pairs of a rare word and a commoner one (bench/search_words.py's bands);
- everyday searches, and searches whose last word is cut short (as typed before the end).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_prefix python bench/search_prefix.py [10000 100000]

Writes bench/results/search_prefix.{md,json} (BENCH_OUT to write elsewhere). The database is flushed first.
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
REPEAT = 7  # runs of each query each way; the median is kept
WAYS = (("prefix", 0), ("words", None))  # MAX_COMPLETIONS: 0 (every word as a prefix), or the project's


def timed_both_ways(q: str, version: int) -> dict[str, float]:
    """Median ms of the search each way, the two ways run alternately; and the number of results."""
    from procedures import search, selectors

    kept = search.MAX_COMPLETIONS
    runs: dict[str, list[float]] = {way: [] for way, _ in WAYS}
    found = set()
    try:
        for _ in range(REPEAT):
            for way, limit in WAYS:
                search.MAX_COMPLETIONS = kept if limit is None else limit
                started = time.perf_counter()
                ids, more = selectors.procedure_search_ids(q=q, version=version)
                runs[way].append((time.perf_counter() - started) * 1000)
                found.add((tuple(ids), more))
    finally:
        search.MAX_COMPLETIONS = kept
    assert len(found) == 1, f"{q!r}: the two ways found different procedures"
    return {**{way: statistics.median(values) for way, values in runs.items()}, "found": len(found.pop()[0])}


def query_sets(size: int, version: int) -> list[tuple[str, list[str]]]:
    from procedures.models import Procedure
    from procedures.text import tokens

    import public_data
    from search_words import COMMON, pairs_by_band

    rng = random.Random(size)
    words = public_data.sample()["words"]
    names = list(Procedure.objects.filter(is_active=True).order_by("id").values_list("name", flat=True)[:2000])
    cut = []
    for name in rng.sample(names, 40):
        folded = tokens(name)
        start = rng.randrange(max(1, len(folded) - 2))
        chosen = folded[start:start + 3]
        chosen[-1] = chosen[-1][:max(1, len(chosen[-1]) - 2)]
        cut.append(" ".join(chosen))
    sets = [("the public benchmark's unique searches", [f"{a} {b}" for a, b in zip(words, reversed(words))])]
    sets += [(f"a rare word and one in {band} rows", queries) for band, queries in pairs_by_band(size, version, rng)]
    return sets + [("everyday searches", COMMON), ("the last word cut short", cut)]


def main(sizes: list[int]) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fixtures import catalogue_grow
    from procedures import search, selectors

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    results = []
    for size in sizes:
        catalogue_grow(size)
        version = selectors.catalogue_version() + size  # a version of its own: the vocabulary is read again
        for label, queries in query_sets(size, version):
            timings = [timed_both_ways(q, version) for q in queries]
            if not timings:
                continue
            results.append({"procedures": size, "searches": label, "count": len(timings),
                             "found": round(statistics.mean(t["found"] for t in timings)),
                             **{way: statistics.mean(t[way] for t in timings) for way, _ in WAYS}})
            print(results[-1], flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "search_prefix.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    lines = ["| procedures | searches | count | results (mean) | as prefixes, ms | as the words they start, ms | ratio |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['procedures']:,} | {r['searches']} | {r['count']} | {r['found']} | {r['prefix']:.2f} "
                     f"| {r['words']:.2f} | {r['words'] / r['prefix']:.2f} |".replace(",", " "))
    (OUT / "search_prefix.md").write_text(
        "# Catalogue search: typed words as prefixes, or as the catalogue's words they start (bench/search_prefix.py)\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. MAX_COMPLETIONS = {search.MAX_COMPLETIONS}. Mean over "
        "the searches of the median of 7 runs of procedure_search_ids, in-process, PostgreSQL on loopback; the two "
        "ways alternate query by query, and each search found the same procedures both ways.\n\n"
        + "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [10000, 100000]))
