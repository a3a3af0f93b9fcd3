"""The statistics page and the service index computed with the cache cleared, at 1 000 000 dossiers on
PostgreSQL: ms per view (the whole response, in-process) and per selector, several runs, median and max.

Usage (a database of its own; --build fills it the way bench/public.py does at 100×: 10 000 procedures,
1 000 000 dossiers over five years, then the figure tables):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_index .venv/bin/python bench/statistics_compute.py --build
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_index .venv/bin/python bench/statistics_compute.py

Writes bench/results/<BENCH_NAME>.{md,json} and -plans.txt (the queries each view makes and their plans).
Before and after a change, back to back, the code before exported apart (git archive <commit> | tar -x -C DIR,
this script copied into DIR/bench):

    for n in 1 2 3; do
      BENCH_NAME=statistics_compute-before-$n .venv/bin/python DIR/bench/statistics_compute.py   # then copy its json in
      BENCH_NAME=statistics_compute-after-$n .venv/bin/python bench/statistics_compute.py
    done
    .venv/bin/python bench/statistics_compute.py --summary    # bench/results/statistics_compute.md
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.chdir(ROOT)  # Celery's Django fix-up puts the working directory first on sys.path: the code measured is ROOT's
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("PORTAL_VAR_DIR", str(ROOT / "var" / "bench-statistics"))
from production_env import production_secrets  # noqa: E402  (bench/: the DEBUG-off settings want secrets)

production_secrets()
# As bench/harness.py's Stack runs the portal: production settings on plain HTTP, quiet logs.
for _name, _value in {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0", "DJANGO_LOG_LEVEL": "WARNING",
                      "DJANGO_CONN_MAX_AGE": "60",
                      "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage"}.items():
    os.environ.setdefault(_name, _value)

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
NAME = os.environ.get("BENCH_NAME", "statistics_compute-run")
OUT = ROOT / "bench" / "results"


def build(scale: int) -> None:
    """The public bench's data at `scale` (×10 000 dossiers) in DATABASE_URL's database, made empty first."""
    python = str(ROOT / ".venv" / "bin" / "python")

    def manage(*args):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, check=True)

    manage("flush", "--noinput")
    manage("migrate", "--noinput", "-v0")
    manage("generate_procedures", str(100 * scale), "--seed", "7")
    manage("shell", "-c", f"import sys; sys.path.insert(0, 'bench'); import public_data; print(public_data.build(scale={scale}))")
    manage("figures_reconcile", "--rebuild")


def _backend_cpu_ms() -> float:
    """CPU time the PostgreSQL backend serving this connection has used (from /proc: same machine)."""
    from django.db import connection

    if not hasattr(connection, "_bench_backend_pid"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            connection._bench_backend_pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{connection._bench_backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _timed(fn) -> dict:
    """Wall time per call (median, max, min) and the CPU time per call of this process and of PostgreSQL's
    backend (summed over the runs, then divided: the backend's clock ticks are 10 ms). On a shared machine the
    wall time grows with everyone else's load; the CPU time is the work the page costs."""
    fn()  # warm-up: imports, templates, the database's buffers, the connection
    gc.collect()  # a full collection falls where the process's allocations put it: not in one view's runs
    times = []
    cpu, backend = time.process_time(), _backend_cpu_ms()
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    cpu, backend = (time.process_time() - cpu) * 1000 / RUNS, (_backend_cpu_ms() - backend) / RUNS
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "min_ms": round(min(times), 1), "runs": len(times), "python_cpu_ms": round(cpu, 1),
            "postgres_cpu_ms": round(backend, 1)}


def measure() -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dossiers.models import Dossier
    from procedures.models import Agency
    from reports.models import DailyFigures, MonthFigures
    from reports.selectors import dossier_statistics
    from reports.service_index import service_index

    today = timezone.localdate()
    agency = Agency.objects.order_by("code").first()
    client = Client(HTTP_HOST="127.0.0.1")
    views = [f"/thong-ke/?year={today.year}", f"/thong-ke/?year={today.year - 2}",
             f"/thong-ke/?year={today.year}&month={today.month}", f"/thong-ke/?year={today.year}&agency={agency.code}",
             f"/thong-ke/chi-so/?year={today.year}&month={today.month}", f"/thong-ke/chi-so/?year={today.year - 1}&month=12",
             f"/thong-ke/chi-so/?year={today.year}&month={today.month}&agency={agency.code}"]
    selectors = [
        (f"dossier_statistics(year={today.year})", lambda: dossier_statistics(year=today.year)),
        (f"dossier_statistics(year={today.year}, agency=…)", lambda: dossier_statistics(year=today.year, agency=agency)),
        (f"service_index(year={today.year}, month={today.month})", lambda: service_index(year=today.year, month=today.month)),
    ]

    def view(path):
        def get():
            cache.clear()  # the page cache (and every other) forgotten: the view computes the page
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return get

    result = {
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "dossiers": Dossier.objects.count(), "agencies": Agency.objects.count(),
        "day_rows": DailyFigures.objects.count(), "month_rows": MonthFigures.objects.count(),
        "database": connection.vendor, "cache": type(cache).__name__,
        "views": [{"path": p, **_timed(view(p))} for p in views],
        "selectors": [{"call": name, **_timed(fn)} for name, fn in selectors],
        "queries": {},
    }
    for path in views[:1] + views[4:5]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        plans = []
        for query in captured.captured_queries:
            sql = query["sql"]
            plan = ""
            if sql.startswith("SELECT") and ("dossiers_dossier" in sql or "reports_" in sql):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append({"ms": float(query["time"]) * 1000, "sql": sql, "plan": plan})
        result["queries"][path] = plans
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def report(result: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{NAME}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [
        f"# The statistics pages computed, cache cleared ({NAME})", "",
        f"{result['dossiers']:,} dossiers, {result['agencies']} agencies, {result['day_rows']:,} day rows, "
        f"{result['month_rows']:,} month rows; {result['database']}, cache {result['cache']}; code {commit}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Each line: one warm-up, then {RUNS} runs, the cache "
        "cleared before each; in-process (django.test.Client: middleware, view, template), no network.", "",
        "| view | median ms | max ms | min ms | CPU ms: Python + PostgreSQL |", "|---|---:|---:|---:|---:|",
        *[f"| `GET {v['path']}` | {v['median_ms']} | {v['max_ms']} | {v['min_ms']} | "
          f"{v['python_cpu_ms']} + {v['postgres_cpu_ms']} |" for v in result["views"]],
        "", "| selector | median ms | max ms | min ms | CPU ms: Python + PostgreSQL |", "|---|---:|---:|---:|---:|",
        *[f"| `{s['call']}` | {s['median_ms']} | {s['max_ms']} | {s['min_ms']} | "
          f"{s['python_cpu_ms']} + {s['postgres_cpu_ms']} |" for s in result["selectors"]],
        "", f"Load average before → after: {result['load_before']} → {result['load_after']} (2 shared cores).",
        "", "Queries of one computed page (ms as Django timed them):", "",
    ]
    for path, queries in result["queries"].items():
        lines.append(f"- `{path}`: {len(queries)} queries, " + ", ".join(f"{q['ms']:.1f}" for q in queries) + " ms")
    (OUT / f"{NAME}.md").write_text("\n".join(lines) + "\n")
    plans = []
    for path, queries in result["queries"].items():
        for q in queries:
            if q["plan"]:
                plans += [f"## {path}", "", q["sql"], "", q["plan"], ""]
    (OUT / f"{NAME}-plans.txt").write_text("\n".join(plans))
    print((OUT / f"{NAME}.md").read_text())


def summary() -> None:
    """bench/results/statistics_compute.md from the rounds run before and after a change, back to back
    (statistics_compute-before-N.json, statistics_compute-after-N.json): per view, each round's median and max,
    and the mean CPU time."""
    rounds = {side: [json.loads(p.read_text()) for p in sorted(OUT.glob(f"statistics_compute-{side}-*.json"))]
              for side in ("before", "after")}
    lines = [
        "# The statistics pages computed, cache cleared, at 1 000 000 dossiers: before and after (issue 25)", "",
        "Each round: `bench/statistics_compute.py` on the code before (2fa9633, exported apart) then on the code "
        "after, back to back, in one PostgreSQL database of 1 000 000 dossiers (bench/public_data.py at 100×); "
        f"{len(rounds['after'])} rounds. In each: one warm-up, then {rounds['after'][0]['views'][0]['runs']} "
        "requests per view, the cache cleared before each (the page cache, the version counters), in-process "
        "(django.test.Client: middleware, view, template; no network). Median and max of each round's requests, "
        "ms; CPU = this process's + PostgreSQL's backend's, per request, the mean of the rounds. The machine's "
        "2 cores were shared: load average "
        + ", ".join(f"{r['load_before'][0]}" for side in ("before", "after") for r in rounds[side]) + ".", "",
        "| view | before: median per round | before: max | after: median per round | after: max | CPU ms before → after |",
        "|---|---|---|---|---|---|",
    ]
    for kind, key in (("views", "path"), ("selectors", "call")):
        for i, entry in enumerate(rounds["after"][0][kind]):
            cells = []
            cpu = {}
            for side in ("before", "after"):
                runs = [r[kind][i] for r in rounds[side]]
                cells += [" / ".join(str(x["median_ms"]) for x in runs), " / ".join(str(x["max_ms"]) for x in runs)]
                cpu[side] = statistics.mean(x["python_cpu_ms"] + x["postgres_cpu_ms"] for x in runs)
            name = f"`GET {entry[key]}`" if kind == "views" else f"`{entry[key]}`"
            lines.append(f"| {name} | " + " | ".join(cells) + f" | {cpu['before']:.1f} → {cpu['after']:.1f} |")
    lines += ["", "Queries of `/thong-ke/?year=…`: "
              f"{len(rounds['before'][0]['queries'][rounds['before'][0]['views'][0]['path']])} before (the agency "
              "list, the month rows, the overdue dossiers counted from the dossiers table), "
              f"{len(rounds['after'][0]['queries'][rounds['after'][0]['views'][0]['path']])} after (the agency list; "
              "the month rows UNION ALL the overdue ones from ClockFigures). The rounds' own tables and query plans: "
              "statistics_compute-{before,after}-N.{md,json}, -plans.txt."]
    (OUT / "statistics_compute.md").write_text("\n".join(lines) + "\n")
    print((OUT / "statistics_compute.md").read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="fill the database first (the public bench's data)")
    parser.add_argument("--scale", type=int, default=100, help="×10 000 dossiers (100: one million)")
    parser.add_argument("--summary", action="store_true", help="only write statistics_compute.md from the rounds")
    args = parser.parse_args()
    if args.summary:
        summary()
        return 0
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to a PostgreSQL database of its own")
    if args.build:
        build(args.scale)
    report(measure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
