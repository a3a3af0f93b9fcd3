"""A signed-in citizen's own pages under wrk, each against the ceiling measured beside it (issue 27 §1).

One citizen with 40 dossiers made through the portal's services (bench/signed_in_data.py: drafts with files,
submitted, moved by clerks, fees paid by a signed IPN), a session cookie from a real sign-in, then wrk (2 threads,
BENCH_CONNECTIONS connections, BENCH_SECONDS per run) on:

- GET /ho-so/ ("Hồ sơ của tôi"), GET /ho-so/<code>/ (one of the 40, at random), GET /thanh-toan/ ("Danh sách
  giao dịch"), all with the cookie;
- GET /bench/ping/ (the ceiling: the stack's smallest view, anonymous) after each of them, the same way.

Each page is run twice over: "cached", as production runs them (dossiers/citizen_pages.py keeps them rendered in
Redis per citizen), and "fresh" (CITIZEN_PAGES_CACHED=0: rendered on every request), the same gunicorn settings
restarted on the same database; BENCH_MODES=cached,fresh,user_from_db adds the cached pages with the user read from
the database on every request (USERS_CACHED=0). A page's ratio is its req/s ÷ the mean of the ping runs just before and after it;
BENCH_ROUNDS rounds (3), the median ratio and req/s, the worst p99.

`make bench BENCH=signed_in` writes bench/results/signed_in.{md,json} (BENCH_NAME, BENCH_OUT to change that).
Database portal_bench_signed_in (BENCH_DB_PREFIX), cache BENCH_CACHE_URL (redis://127.0.0.1:6379/14, emptied before and
after). A short form, about a minute: BENCH_ROUNDS=1 BENCH_SECONDS=2 BENCH_CEILING_SECONDS=2 BENCH_MODES=cached.
BENCH_PROFILE=1: each mode's pages in process under cProfile after its load (bench/signed_in_profile.py;
<name>-profile-<mode>.txt).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from harness import ROOT, Stack, run_wrk, write_table
from public import _median_of, log_in

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CEILING_SECONDS = int(os.environ.get("BENCH_CEILING_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "portal_bench")
# Each mode: the settings gunicorn is restarted with. "user_from_db": the cached pages with the user read from the
# database on every request (USERS_CACHED=0), as before issue 27 §1: the user cache's share, measured in the same run.
MODE_ENV = {
    "cached": {"CITIZEN_PAGES_CACHED": "1", "USERS_CACHED": "1"},
    "fresh": {"CITIZEN_PAGES_CACHED": "0", "USERS_CACHED": "1"},
    "user_from_db": {"CITIZEN_PAGES_CACHED": "1", "USERS_CACHED": "0"},
}
MODES = [m for m in os.environ.get("BENCH_MODES", "cached,fresh").split(",") if m]
DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "40"))
PROFILE = os.environ.get("BENCH_PROFILE") == "1"  # after each mode's load: the pages in process under cProfile
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results"))
NAME = os.environ.get("BENCH_NAME", "signed_in")
VAR = ROOT / "var" / "bench-signed-in"
LABELS = {
    "mine": "GET /ho-so/ (Hồ sơ của tôi)",
    "dossier": "GET /ho-so/<code>/ (one of the 40)",
    "transactions": "GET /thanh-toan/ (Danh sách giao dịch)",
}


def workloads(citizen: dict) -> dict[str, list[str]]:
    cookie = citizen["cookie"]
    return {"mine": [f"/ho-so/\t{cookie}"], "dossier": [f"/ho-so/{code}/\t{cookie}" for code in citizen["codes"]],
            "transactions": [f"/thanh-toan/\t{cookie}"]}


def wrk(stack: Stack, lines: list[str], seconds: int, name: str) -> dict:
    return run_wrk(stack.base, lines, seconds, name, paths_dir=VAR, connections=CONNECTIONS)


def check(stack: Stack, items: dict[str, list[str]], codes: list[str]) -> None:
    """Each page answers 200 to the cookie, signed in (the menu names the citizen) and with one of their dossiers."""
    from harness import request

    for key, lines in items.items():
        path, _, cookie = lines[0].partition("\t")
        status, body = request("GET", stack.base + path, headers={"Cookie": cookie})
        text = body.decode()
        if status != 200 or "Tải" not in text or not any(code in text for code in codes):
            raise RuntimeError(f"{key}: {path} answered {status} without the citizen's name or dossiers")


def measure(stack: Stack, items: dict[str, list[str]]) -> dict:
    """The rounds: each page, then the ceiling; the median of the rounds per page."""
    from harness import request

    for line in [line for lines in items.values() for line in lines]:  # each page asked once: kept, when cached
        path, _, cookie = line.partition("\t")
        request("GET", stack.base + path, headers={"Cookie": cookie})
    for key, lines in [("ping", ["/bench/ping/"]), *items.items()]:  # warm-up: imports, every worker's connections
        wrk(stack, lines, 1, key)
    ceilings = [wrk(stack, ["/bench/ping/"], CEILING_SECONDS, "ping")]
    rounds: dict[str, list[dict]] = {key: [] for key in items}
    for _ in range(ROUNDS):
        for key, lines in items.items():
            result = wrk(stack, lines, SECONDS, key)
            ceilings.append(wrk(stack, ["/bench/ping/"], CEILING_SECONDS, "ping"))
            result["ceiling_rps"] = round((ceilings[-2]["rps"] + ceilings[-1]["rps"]) / 2, 1)
            result["ratio"] = round(result["rps"] / result["ceiling_rps"], 3)
            rounds[key].append(result)
    ceiling = round(statistics.mean(c["rps"] for c in ceilings), 1)
    return {"ceiling_rps": ceiling, "ceiling_runs": ceilings,
            "results": {key: _median_of(runs, ceiling) for key, runs in rounds.items()}}


def profile(stack: Stack, data: dict, mode: str) -> dict:
    """bench/signed_in_profile.py in `manage.py shell` on the same database and settings: ms and queries per page."""
    paths = ["/ho-so/", f"/ho-so/{data['codes'][0]}/", "/thanh-toan/"]
    out = str((OUT / f"{NAME}-profile-{mode}.txt").resolve())
    return stack.shell_json(
        "import json, signed_in_profile\nprint(json.dumps(signed_in_profile.profile("
        f"email={data['email']!r}, password={data['password']!r}, paths={paths!r}, out={out!r})))")


def main() -> int:
    import redis

    shutil.rmtree(VAR, ignore_errors=True)
    (VAR / "static").mkdir(parents=True)
    OUT.mkdir(parents=True, exist_ok=True)
    redis.Redis.from_url(CACHE).flushdb()  # this benchmark's own Redis database
    stack = Stack("signed_in", workers=WORKERS, db_prefix=DB_PREFIX,
                  extra_env={"CACHE_URL": CACHE, "PORTAL_VAR_DIR": str(VAR)})
    started = time.monotonic()
    stack.create_database()
    data = stack.shell_json(f"import json, signed_in_data\n"
                            f"print(json.dumps(signed_in_data.citizen_with_dossiers(count={DOSSIERS})))")
    setup_seconds = round(time.monotonic() - started, 1)
    runs = {}
    try:
        for mode in MODES:
            stack.env.update(MODE_ENV[mode])
            stack.start()
            citizen = {**data, **log_in(stack, [{"email": data["email"]}], data["password"])[0]}
            items = workloads(citizen)
            check(stack, items, data["codes"])
            runs[mode] = measure(stack, items)
            if PROFILE:
                runs[mode]["profile"] = profile(stack, data, mode)
            stack.stop(drop=False)
            stack.server = None
    finally:
        stack.stop()
        redis.Redis.from_url(CACHE).flushdb()
    return report(runs, data["counts"], setup_seconds)


def _commit() -> str:
    import subprocess

    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def report(runs: dict, counts: dict, setup_seconds: float) -> int:
    records, errors = [], 0
    for mode, run in runs.items():
        records.append({"page": f"GET /bench/ping/ (ceiling, {mode} run)", "ratio": 1.0, "rps": run["ceiling_rps"],
                        "p99_ms": max(c["p99_ms"] for c in run["ceiling_runs"]), "errors": 0})
        for key, result in run["results"].items():
            errors += result["errors"]
            records.append({"page": f"{LABELS[key]}, {mode}", **{k: result[k] for k in ("ratio", "rps", "p99_ms",
                                                                                          "errors")}})
    notes = "\n".join([
        "Ratio = the page's req/s ÷ the ceiling's (/bench/ping/, same gunicorn, same wrk settings: the mean of the "
        f"ping runs just before and just after the page's, {CEILING_SECONDS} s each), the median of {ROUNDS} rounds; "
        f"req/s the median, p99 the worst round's. wrk -t2 -c{CONNECTIONS}, {SECONDS} s per page and round, gunicorn "
        f"{WORKERS} sync workers, PostgreSQL, Redis (cache and sessions: cached_db).",
        "cached: the pages as production serves them (CITIZEN_PAGES_CACHED on: kept rendered per citizen in Redis); "
        "fresh: CITIZEN_PAGES_CACHED=0, rendered on every request; user_from_db (when run): cached, with the "
        "signed-in user read from the database on every request (USERS_CACHED=0).",
        "", f"Data: {counts} (one citizen); set-up {setup_seconds} s; load average after "
        f"{[round(x, 2) for x in os.getloadavg()]}.",
        *[f"- ceiling runs, {mode}: {[c['rps'] for c in run['ceiling_runs']]}" for mode, run in runs.items()],
        "", f"Errors (connect/read/write/timeout/HTTP ≥ 400) over all runs: {errors}.",
    ])
    setup = {"dossiers": counts["dossiers"], "seconds": SECONDS, "ceiling_seconds": CEILING_SECONDS,
             "rounds": ROUNDS, "connections": CONNECTIONS, "gunicorn_workers": WORKERS, "modes": MODES,
             "load_generator": "wrk -t2 (bench/wrk/paths.lua)"}
    write_table(NAME, setup=setup, records=records, header=["page", "÷ ceiling", "req/s", "p99 ms", "errors"],
                fields=["page", "ratio", "rps", "p99_ms", "errors"], notes=notes, out_dir=OUT)
    command = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("BENCH_")) + \
        " make bench BENCH=signed_in"
    md = OUT / f"{NAME}.md"
    title, rest = md.read_text().split("\n", 1)
    md.write_text(f"{title}\n\nCommand: `{command.strip()}` (git {_commit()})\n{rest}")
    (OUT / f"{NAME}-runs.json").write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n")
    print((OUT / f"{NAME}.md").read_text())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
