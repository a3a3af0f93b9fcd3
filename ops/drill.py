"""Backup and point-in-time restore drill (issue #27 §2): `make drill` (1× and 10×), `make drill DRILL_QUICK=1` (CI).

Per scale, in a child process of its own (Django is set up once per process, on that scale's cluster and bucket):
a PostgreSQL 15 cluster of the drill's own with pgBackRest (WAL archived continuously), the schema, a full backup,
then N dossiers with files, payments and e-receipts made through the portal's write paths; the archive delay
measured (RPO); a time T noted; more dossiers and receipts after T; damage (a dropped table, deleted dossiers,
overwritten and deleted files); then the runbook's restore (docs/operations.md), timed until the portal answers
/healthz (RTO); then the checks on the restored portal. Results: bench/results/drill.md and .json (full run), or
artifacts/drill/ (quick). Everything the drill starts is stopped and its directories removed, also on failure.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from drill_cluster import Cluster, free_port  # noqa: E402

FULL = {"scales": {"1x": 100, "10x": 1000}, "archive_timeout": 60}
QUICK = {"scales": {"1x-quick": 12}, "archive_timeout": 3}
BUCKET = "portal-drill-media"


def _interrupted(signum, frame):
    raise SystemExit(f"drill interrupted by signal {signum}")


def leftovers() -> None:
    """Stop a cluster an earlier drill killed outright (SIGKILL skips the cleanup) left running, remove its files."""
    import shutil

    for root in Path(tempfile.gettempdir()).glob("portal-drill-*"):
        for pid_file in root.glob("pg/*/postmaster.pid"):
            subprocess.run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D",
                            str(pid_file.parent), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def run_scale(name: str, dossiers: int, archive_timeout: int) -> dict:
    """One whole drill at one size, in this process; return its figures and checks."""
    from drill_steps import Drill

    work = Path(tempfile.mkdtemp(prefix="portal-drill-"))
    os.chmod(work, 0o755)  # the postgres user walks through it to the cluster's directory
    drill = Drill(work=work, cluster=Cluster(work / "pg", port=free_port(), archive_timeout=archive_timeout),
                  bucket=BUCKET)
    try:
        return {"scale": name, "dossiers": dossiers, **drill.run(dossiers)}
    finally:
        drill.cleanup()


def spawn_scale(name: str, dossiers: int, archive_timeout: int, out: Path) -> dict:
    """Run one scale in a child process; return its result (the child's output goes to ours as it comes)."""
    command = [sys.executable, str(HERE / "drill.py"), "--one", name, str(dossiers), str(archive_timeout), str(out)]
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT)
    try:
        returncode = child.wait()
    finally:  # stopped ourselves: the child stops its cluster and servers before it goes
        if child.poll() is None:
            child.terminate()
            child.wait(timeout=120)
    result = json.loads(out.read_text()) if out.exists() else {"scale": name, "error": f"exit {returncode}"}
    result["wall_s"] = round(time.monotonic() - started, 1)
    return result


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _interrupted)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the bounded CI form: one small scale")
    parser.add_argument("--one", nargs=4, metavar=("NAME", "DOSSIERS", "ARCHIVE_TIMEOUT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        name, dossiers, archive_timeout, out = args.one
        result = run_scale(name, int(dossiers), int(archive_timeout))
        Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return 0 if result["passed"] else 1
    leftovers()
    plan = QUICK if args.quick else FULL
    results = []
    with tempfile.TemporaryDirectory(prefix="drill-results-") as scratch:
        for name, dossiers in plan["scales"].items():
            results.append(spawn_scale(name, dossiers, plan["archive_timeout"], Path(scratch) / f"{name}.json"))
    from drill_report import write_results

    write_results(results, quick=args.quick, command="make drill" + (" DRILL_QUICK=1" if args.quick else ""))
    return 0 if all(r.get("passed") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
