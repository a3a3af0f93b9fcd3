"""The drill's results: bench/results/drill.json and drill.md (full run), artifacts/drill/ (quick run)."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _row(result: dict) -> str:
    figures, seconds = result.get("figures", {}), result.get("figures", {}).get("seconds", {})
    return (f"| {result['scale']} | {result.get('dossiers', '?')} | {figures.get('database_bytes', 0) / 1e6:.1f} MB"
            f" | {figures.get('repository_bytes', 0) / 1e6:.1f} MB | {figures.get('full_backup_s', '?')} s"
            f" | {figures.get('rpo_s', '?')} s (archive_timeout {figures.get('archive_timeout_s', '?')} s)"
            f" | **{figures.get('rto_s', '?')} s** | {seconds.get('rto_3_pgbackrest_restore', '?')} s"
            f" | {seconds.get('rto_4_s3_restore', '?')} s | {seconds.get('rto_6_portal_healthz', '?')} s"
            f" | {'yes' if result.get('passed') else 'NO'} |")


def markdown(results: list[dict], command: str) -> str:
    lines = [
        "# Backup and point-in-time restore drill (issue #27 §2)",
        "",
        f"Command: `{command}` ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()},"
        " PostgreSQL 15 + pgBackRest 2.45, moto S3 with versioning). How it runs and what it checks: ops/drill.py;"
        " the operator's runbook written from it: docs/operations.md.",
        "",
        "RPO: seconds from a commit to its WAL segment stored in the repository, measured right after a segment"
        " switch (the worst case: archive_timeout closes the segment). RTO: from the first restore step (numbering"
        " export) to the restored portal answering /healthz 200 (pgBackRest restore + WAL replay to T + promotion,"
        " the bucket put back to T, numbering raised, gunicorn started).",
        "",
        "| scale | dossiers at T | database | repository | full backup | RPO | RTO | restore+replay | bucket to T"
        " | portal up | checks passed |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *[_row(r) for r in results],
        "",
        "## Checks on the restored portal",
        "",
    ]
    for result in results:
        lines.append(f"### {result['scale']}")
        lines.append("")
        for name, check in result.get("checks", {}).items():
            detail = {k: v for k, v in check.items() if k != "passed"}
            lines.append(f"- {'ok' if check['passed'] else '**FAILED**'} `{name}` {json.dumps(detail, ensure_ascii=False)}")
        if "error" in result:
            lines.append(f"- **error**: {result['error']}")
        lines.append("")
    return "\n".join(lines)


def write_results(results: list[dict], *, quick: bool, command: str) -> Path:
    folder = ROOT / ("artifacts/drill" if quick else "bench/results")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "drill.json").write_text(json.dumps({"command": command, "results": results}, ensure_ascii=False,
                                                  indent=1, default=str))
    (folder / "drill.md").write_text(markdown(results, command))
    print((folder / "drill.md").read_text())
    return folder
