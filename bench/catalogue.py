"""Catalogue benchmark: search with filters over 10 000 procedures on PostgreSQL, against /bench/ping/."""

from __future__ import annotations

import json
import os
import sys

from harness import Stack, run_load, with_ratios, write_results

PROCEDURES = int(os.environ.get("BENCH_PROCEDURES", "10000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = float(os.environ.get("BENCH_DURATION", "15"))

SAMPLE = """
import json, random
from procedures.models import Procedure, Agency, Field
from procedures.text import tokens
rng = random.Random(7)
names = list(Procedure.objects.order_by("?").values_list("name", flat=True)[:300])
words = [w for n in names for w in tokens(n) if len(w) > 3]
print(json.dumps({
    "phrases": [" ".join(rng.sample(tokens(n), min(3, len(tokens(n))))) for n in names],
    "words": sorted(set(words))[:200],
    "codes": list(Procedure.objects.order_by("?").values_list("code", flat=True)[:300]),
    "agencies": list(Agency.objects.values_list("code", flat=True)),
    "fields": list(Field.objects.values_list("code", flat=True)),
}))
"""


def main() -> None:
    stack = Stack("catalogue", workers=3)
    stack.create_database()
    stack.manage("generate_procedures", str(PROCEDURES))
    data = json.loads(stack.manage("shell", "-c", SAMPLE).strip().splitlines()[-1])
    stack.start()
    try:
        def ping(rng):
            return "GET", "/bench/ping/", None, {}

        def search(rng):
            return "GET", "/thu-tuc/?" + _qs(q=rng.choice(data["phrases"])), None, {}

        def search_filtered(rng):
            return "GET", "/thu-tuc/?" + _qs(
                q=rng.choice(data["words"]), agency=rng.choice(data["agencies"]), level=rng.choice(["", "3", "4"])
            ), None, {}

        def filters_only(rng):
            return "GET", "/thu-tuc/?" + _qs(field=rng.choice(data["fields"]), page=str(rng.randint(1, 5))), None, {}

        def detail(rng):
            return "GET", f"/thu-tuc/{rng.choice(data['codes'])}/", None, {}

        common = {"base": stack.base, "concurrency": CONCURRENCY, "duration": DURATION}
        run_load("warm-up", search, **{**common, "duration": 3})
        ceiling = run_load("GET /bench/ping/ (ceiling)", ping, **common)
        results = [
            ceiling,
            run_load("GET /thu-tuc/?q=<3 words>", search, **common),
            run_load("GET /thu-tuc/?q=<word>&agency=…&level=…", search_filtered, **common),
            run_load("GET /thu-tuc/?field=…&page=…", filters_only, **common),
            run_load("GET /thu-tuc/<code>/", detail, **common),
        ]
    finally:
        stack.stop()
    path = write_results(
        "catalogue",
        results=with_ratios(results, ceiling),
        setup={
            "procedures": PROCEDURES,
            "concurrency": CONCURRENCY,
            "seconds_per_endpoint": DURATION,
            "gunicorn_workers": stack.workers,
            "database": "PostgreSQL (loopback)",
            "load_generator": "bench/harness.py closed loop, same machine",
        },
    )
    print(path.read_text())


def _qs(**params) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v})


if __name__ == "__main__":
    sys.exit(main())
