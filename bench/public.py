"""Public pages and a citizen's own pages under wrk, at 1×, 10× and 100× the data, against the ceiling.

gunicorn (2 × CPUs + 1 sync workers) + PostgreSQL + Redis (the cache) on this machine; wrk (C, 2 threads,
8 connections) drives one workload at a time for BENCH_SECONDS, and /bench/ping/ (the stack's smallest
view) is driven the same way before the first and after each (BENCH_CEILING_SECONDS): each workload is
reported as its req/s divided by the ceiling's measured just before and just after it (the mean of those
two ping runs), which cancels most of what else the shared machine does, even when that changes within a
run (a virtual machine's neighbours: the ceiling has measured 4 222 then 2 086 req/s twenty minutes apart).
The workloads run in BENCH_ROUNDS rounds (each round every workload once, a ping run after each): a workload's
ratio is the median of its rounds' ratios, its req/s the median, its p99 the worst of its rounds. The ratio to
the mean of all the run's ping runs is reported too.

Data per scale s: 100·s procedures (demo generator), 10 000·s dossiers over five years and 500·s citizens
(set-based SQL: bench/public_data.py). At 100×: 10 000 procedures and 1 000 000 dossiers.
After the load: ms per view of the statistics pages computed (cache bypassed) and of the clerk's dossier
list in the admin with its usual filters, in-process; at the largest scale, the query plans.

`make bench BENCH=public` writes bench/results/public.{md,json} (BENCH_OUT to write elsewhere) and
public-plans.txt; BENCH_SCALES=1,10,100 and BENCH_SECONDS=5 by default; BENCH_KEEP=1 keeps the databases.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from harness import ROOT, Recorder, Session, Stack, run_wrk, write_table

SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10,100").split(",")]
# Procedures per scale, when not 100 × the scale (BENCH_PROCEDURES=10000,100000 with BENCH_SCALES=10,100: the
# catalogue ten times larger than the dossiers' scale would give it, which the searches alone care about).
PROCEDURES = dict(zip(SCALES, [int(n) for n in os.environ["BENCH_PROCEDURES"].split(",")])) if os.environ.get(
    "BENCH_PROCEDURES") else {}
# Only these workloads (their keys, comma-separated; all by default): a shorter run for one question.
ONLY = set(filter(None, os.environ.get("BENCH_WORKLOADS", "").split(",")))
VIEWS = os.environ.get("BENCH_VIEWS", "1") == "1"  # 0: skip the in-process ms per view after the load
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CEILING_SECONDS = int(os.environ.get("BENCH_CEILING_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results"))
NAME = os.environ.get("BENCH_NAME", "public")
# A shared machine: each engineer's databases and ports apart (BENCH_DB_PREFIX=portal_search BENCH_PORT=8450).
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "portal_bench")
PORT = int(os.environ["BENCH_PORT"]) if os.environ.get("BENCH_PORT") else None
# Databases made before (one a scale, comma-separated: a generated catalogue, migrated): used as they are, nothing
# generated nor dropped. For a machine too loaded to generate 100 000 procedures and 1 000 000 dossiers in time;
# the searches read only the catalogue (the report says which databases were reused).
REUSE = dict(zip(SCALES, filter(None, os.environ.get("BENCH_REUSE_DATABASES", "").split(","))))
KEEP = os.environ.get("BENCH_KEEP") == "1"  # keep each scale's database (portal_bench_public_keep_<s>) to study it after
VAR = ROOT / "var" / "bench-public"
LOGGED_IN = 8  # citizens logged in, one cookie per wrk request picked at random

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def workloads(sample: dict, citizens: list[dict], year: int, month: int) -> list[tuple[str, str, list[str]]]:
    """(key, label, lines "<path>\\t<cookie>") for each workload."""
    cookie = {c["email"]: c["cookie"] for c in citizens}
    fields, agencies = sample["fields"], sample["agencies"]
    return [
        ("home", "GET / (home)", ["/"]),
        ("browse", "GET /thu-tuc/?field=…&page=1–3 (browse)", [
            "/thu-tuc/?" + urlencode({"field": f, "page": p}) for f in fields for p in (1, 2, 3)]),
        ("search_popular", "GET /thu-tuc/?q=<one of 20 popular searches>", [
            "/thu-tuc/?" + urlencode({"q": q}) for q in sample["popular"]]),
        # The integration API's search (issue 28): the same selectors and ranking as the page, answered as JSON; it
        # keeps no page, so each of its requests computes the search (the page's popular ones come from its cache).
        ("api_search_popular", "GET /api/v1/procedures?q=<one of 20 popular searches> (API)", [
            "/api/v1/procedures?" + urlencode({"q": q}) for q in sample["popular"]]),
        ("procedure", "GET /thu-tuc/<code>/ (300 procedures)", [f"/thu-tuc/{c}/" for c in sample["codes"]]),
        # The same pages once each has been seen (the run above renders most of them for the first time).
        ("procedure_seen", "GET /thu-tuc/<code>/ (the same 300, each seen before)",
         [f"/thu-tuc/{c}/" for c in sample["codes"]]),
        ("guide", "GET /huong-dan/", ["/huong-dan/"]),
        ("faq", "GET /cau-hoi-thuong-gap/", ["/cau-hoi-thuong-gap/"]),
        # Two or three words in a row of one procedure's name (public_data.sample): what citizens type.
        # Data sampled before issue 25 has no "citizen" list: pairs of unrelated words, as then.
        ("search_unique", "GET /thu-tuc/?q=<2–3 words of one name>&u=<unique> (never cached)", [
            "/thu-tuc/?" + urlencode({"q": q}) + "&u={n}" for q in sample.get("citizen") or [
                f"{a} {b}" for a, b in zip(sample["words"], reversed(sample["words"]))]]),
        ("api_search_unique", "GET /api/v1/procedures?q=<2–3 words of one name>&u=<unique> (API)", [
            "/api/v1/procedures?" + urlencode({"q": q}) + "&u={n}" for q in sample.get("citizen") or [
                f"{a} {b}" for a, b in zip(sample["words"], reversed(sample["words"]))]]),
        ("statistics", "GET /thong-ke/?year=<last 5>[&agency=…]", [
            f"/thong-ke/?year={y}" for y in range(year - 4, year + 1)] + [
            f"/thong-ke/?year={year}&agency={a}" for a in agencies[:10]]),
        ("index", "GET /thong-ke/chi-so/?year=…&month=<last 12>", [
            f"/thong-ke/chi-so/?year={year if m <= month else year - 1}&month={m}" for m in range(1, 13)]),
        ("mine", "GET /ho-so/ (logged in)", [f"/ho-so/\t{cookie[c['email']]}" for c in citizens]),
        ("dossier", "GET /ho-so/<code>/ (logged in, own dossier)", [
            f"/ho-so/{c['code']}/\t{cookie[c['email']]}" for c in citizens]),
        ("transactions", "GET /thanh-toan/ (logged in, transactions)", [
            f"/thanh-toan/\t{cookie[c['email']]}" for c in citizens]),
    ]


def wrk(stack: Stack, lines: list[str], seconds: int, name: str) -> dict:
    return run_wrk(stack.base, lines, seconds, name, paths_dir=VAR, connections=CONNECTIONS)


def log_in(stack: Stack, owners: list[dict], password: str) -> list[dict]:
    citizens = []
    for owner in owners:
        session = Session(stack.base, Recorder())
        _, _, page = session.get("login form", "/tai-khoan/dang-nhap/")
        token = CSRF.search(page.decode()).group(1)
        session.post_form("login", "/tai-khoan/dang-nhap/", [
            ("csrfmiddlewaretoken", token), ("username", owner["email"]), ("password", password)], expect=(302,))
        citizens.append({**owner, "cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items())})
    return citizens


def check_paths(stack: Stack, items: list[tuple[str, str, list[str]]]) -> dict[str, int]:
    """The status of one request of each workload (a page missing in this version is reported, not run)."""
    from harness import request

    statuses = {}
    for key, _, lines in items:
        if not lines:  # a reused database without dossiers: no citizen's pages
            statuses[key] = 0
            continue
        path, _, cookie = lines[0].partition("\t")
        status, _ = request("GET", stack.base + path.replace("{n}", "check"), headers={"Cookie": cookie} if cookie else {})
        statuses[key] = status
    return statuses


def workers_rss_mb(stack: Stack) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master), in MB, from /proc."""
    pid = stack.server.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
        sizes.append(round(kb / 1024, 1))
    return sorted(sizes)


def run_scale(scale: int, *, plans: bool) -> dict:
    import redis

    redis.Redis.from_url(CACHE).flushdb()
    stack = Stack(f"public_keep_{scale}" if KEEP else f"public_{os.getpid()}", workers=WORKERS, db_prefix=DB_PREFIX,
                  db_name=REUSE.get(scale, ""), port=PORT, extra_env={"CACHE_URL": CACHE, "PORTAL_VAR_DIR": str(VAR)})
    timings = {}
    started = time.monotonic()
    if scale in REUSE:
        stack.manage("migrate", "--noinput", "-v0")
        counts = {"dossiers": 0, "citizens": 0, "reused_database": REUSE[scale]}
    else:
        stack.create_database()
        stack.manage("generate_procedures", str(PROCEDURES.get(scale, 100 * scale)), "--seed", "7")
        timings["procedures_s"] = round(time.monotonic() - started, 1)
        mark = time.monotonic()
        counts = stack.shell_json(f"import json, public_data\nprint(json.dumps(public_data.build(scale={scale})))")
        timings["dossiers_s"] = round(time.monotonic() - mark, 1)
    if scale not in REUSE and "figures_reconcile" in stack.manage("help", "--commands"):
        mark = time.monotonic()
        stack.manage("figures_reconcile", "--rebuild")
        timings["figures_rebuild_s"] = round(time.monotonic() - mark, 1)
    sample = stack.shell_json("import json, public_data\nprint(json.dumps(public_data.sample()))")
    owners = stack.shell_json(f"import json, public_data\nprint(json.dumps(public_data.owners_with_dossiers(count={LOGGED_IN})))")
    today = time.localtime()
    stack.start()
    try:
        citizens = log_in(stack, owners, "Bench-Mat-Khau-2026")
        items = workloads(sample, citizens, today.tm_year, today.tm_mon)
        statuses = check_paths(stack, items)
        runnable = [i for i in items if statuses[i[0]] == 200 and (not ONLY or i[0] in ONLY)]
        for key, _, lines in [("ping", "", ["/bench/ping/"]), *runnable]:  # warm-up: imports, the cache, buffers
            wrk(stack, lines, 1, key)
        rss_before = workers_rss_mb(stack)
        ceilings, rounds = [wrk(stack, ["/bench/ping/"], CEILING_SECONDS, "ping")], {key: [] for key, _, _ in runnable}
        for _ in range(ROUNDS):
            for key, _, lines in runnable:  # the ceiling after each workload: each is compared with its neighbours
                result = wrk(stack, lines, SECONDS, key)
                ceilings.append(wrk(stack, ["/bench/ping/"], CEILING_SECONDS, "ping"))
                result["ceiling_rps"] = round((ceilings[-2]["rps"] + ceilings[-1]["rps"]) / 2, 1)
                result["ratio"] = round(result["rps"] / result["ceiling_rps"], 3)
                rounds[key].append(result)
        rss_after = workers_rss_mb(stack)
        load = [round(x, 2) for x in os.getloadavg()]
    finally:
        stack.stop(drop=False)
    plans_path = str((OUT / f"{NAME}-plans.txt").resolve()) if plans else None
    views = stack.shell_json(
        f"import json, public_views\nprint(json.dumps(public_views.measure(plans_path={plans_path!r})))"
    ) if VIEWS else {"public": [], "admin_superuser": [], "admin_clerk": []}
    stack.stop(drop=not KEEP and scale not in REUSE)
    redis.Redis.from_url(CACHE).flushdb()
    ceiling = round(sum(c["rps"] for c in ceilings) / len(ceilings), 1)
    results = {key: _median_of(runs, ceiling) for key, runs in rounds.items()}
    counts["procedures"] = PROCEDURES.get(scale, 100 * scale)
    return {"scale": scale, "counts": counts, "timings": timings, "ceiling_rps": ceiling,
            "ceiling_runs": ceilings, "statuses": statuses, "results": results,
            "labels": {k: label for k, label, _ in items}, "views": views, "load_average_after": load,
            "workers_rss_mb": {"after_warm_up": rss_before, "after_workloads": rss_after}}


def _median_of(runs: list[dict], ceiling: float) -> dict:
    """One workload's rounds as one result: the median ratio and req/s, the worst p99, every error."""
    rps = statistics.median(r["rps"] for r in runs)
    return {"ratio": round(statistics.median(r["ratio"] for r in runs), 3), "rps": round(rps, 1),
            "p99_ms": max(r["p99_ms"] for r in runs), "errors": sum(r["errors"] for r in runs),
            "ratio_to_run": round(rps / ceiling, 3), "rounds": runs}


def main() -> int:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    (VAR / "static").mkdir()
    OUT.mkdir(parents=True, exist_ok=True)
    runs = []
    for scale in SCALES:
        print(f"-- scale {scale}×", flush=True)
        runs.append(run_scale(scale, plans=scale == max(SCALES)))
        print(json.dumps({k: runs[-1][k] for k in ("scale", "ceiling_rps", "timings")}), flush=True)
    return report(runs)


def report(runs: list[dict]) -> int:
    keys = [key for key in runs[0]["labels"] if any(key in run["results"] for run in runs)]  # BENCH_WORKLOADS
    records, errors = [], 0
    for key in keys:
        record = {"workload": runs[0]["labels"][key]}
        for run in runs:
            result = run["results"].get(key)
            s = run["scale"]
            if result is None:
                record.update({f"ratio_{s}x": f"— ({run['statuses'][key]})", f"p99_{s}x": "—", f"rps_{s}x": "—"})
                continue
            errors += result["errors"]
            record.update({f"ratio_{s}x": result["ratio"], f"p99_{s}x": result["p99_ms"], f"rps_{s}x": result["rps"]})
        first, last = runs[0]["results"].get(key), runs[-1]["results"].get(key)
        record["growth"] = round(last["ratio"] / first["ratio"], 2) if first and last and first["ratio"] else "—"
        records.append(record)
    ceiling = {"workload": "GET /bench/ping/ (ceiling, mean of its runs between the workloads)", "growth": "—"}
    for run in runs:
        s = run["scale"]
        ceiling.update({f"ratio_{s}x": 1.0, f"p99_{s}x": max(c["p99_ms"] for c in run["ceiling_runs"]),
                        f"rps_{s}x": run["ceiling_rps"]})
    records.insert(0, ceiling)
    header, fields = ["workload"], ["workload"]
    for run in runs:
        s = run["scale"]
        header += [f"÷ ceiling {s}×", f"p99 ms {s}×", f"req/s {s}×"]
        fields += [f"ratio_{s}x", f"p99_{s}x", f"rps_{s}x"]
    header.append(f"growth {runs[0]['scale']}×→{runs[-1]['scale']}×")
    fields.append("growth")
    view_lines = ["", "ms per view, in-process (median of 5 after one warm-up; the anonymous pages with the page cache bypassed):", ""]
    view_lines += ["| view | " + " | ".join(f"{r['scale']}× ms" for r in runs) + " |",
                   "|---|" + "---:|" * len(runs)]
    for group in ("public", "admin_superuser", "admin_clerk"):
        for i, entry in enumerate(runs[-1]["views"][group]):
            cells = []
            for run in runs:
                e = run["views"][group][i]
                cells.append(f"{e['median_ms']}" + ("" if e["status"] == 200 else f" ({e['status']})"))
            who = {"public": "anonymous", "admin_superuser": "admin, superuser", "admin_clerk": "admin, one agency's clerk"}[group]
            path = re.sub(r"year=\d+", "year=…", entry["path"])
            view_lines.append(f"| {who}: `{path}` | " + " | ".join(cells) + " |")
    run_lines = ["", "The median req/s ÷ the mean of all the run's ceiling runs (not only the two beside each round):", "",
                 "| workload | " + " | ".join(f"÷ run's ceiling {r['scale']}×" for r in runs) + " |",
                 "|---|" + "---:|" * len(runs)]
    for key in keys:
        cells = [str(r["results"][key].get("ratio_to_run", "—")) if key in r["results"] else "—" for r in runs]
        run_lines.append(f"| {runs[0]['labels'][key]} | " + " | ".join(cells) + " |")
    setup_lines = [f"- {r['scale']}×: {r['counts']['dossiers']:,} dossiers, "
                   f"{r['counts'].get('procedures', 100 * r['scale']):,} procedures, "
                   f"{r['counts']['citizens']:,} citizens; set-up {r['timings']}; ceiling {r['ceiling_rps']} req/s "
                   f"(runs {[c['rps'] for c in r['ceiling_runs']]}); load average after {r['load_average_after']}"
                   for r in runs]
    rss_lines = ["", "Memory of the gunicorn workers (RSS, MB, each worker; after the warm-up → after every workload ran):", ""]
    rss_lines += [f"- {r['scale']}×: {r['workers_rss_mb']['after_warm_up']} → {r['workers_rss_mb']['after_workloads']}"
                  for r in runs if "workers_rss_mb" in r]
    notes = "\n".join([
        "Ratio = the workload's req/s ÷ the ceiling's (/bench/ping/, same wrk settings, the mean of the ping run just "
        f"before the workload and the one just after it, {CEILING_SECONDS} s each), the median of {ROUNDS} rounds; req/s "
        f"the median, p99 the worst round's. wrk -t2 -c8, {SECONDS} s per workload and round, gunicorn {WORKERS} sync "
        "workers, Redis cache.",
        *run_lines, "", *setup_lines, *view_lines, *rss_lines,
        "", f"Errors (connect/read/write/timeout/HTTP ≥ 400) over all runs: {errors}.",
    ])
    write_table(NAME, setup={"scales": SCALES, "seconds": SECONDS, "ceiling_seconds": CEILING_SECONDS, "rounds": ROUNDS,
                             "connections": CONNECTIONS, "gunicorn_workers": WORKERS,
                             "load_generator": "wrk -t2 (bench/wrk/paths.lua)"},
                records=records, header=header, fields=fields, notes=notes, out_dir=OUT)
    (OUT / f"{NAME}-runs.json").write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n")
    print((OUT / f"{NAME}.md").read_text())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
