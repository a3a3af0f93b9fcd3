"""Mandatory uploads per procedure on the whole real national catalogue, before and after reading the tables.

    .venv/bin/python bench/components.py            # one line per procedure (code, before, after, flag), then the summary
    .venv/bin/python bench/components.py --summary  # the summary only
    .venv/bin/python bench/components.py --write    # also writes the summary to bench/results/components.md

Before: the parser of commit BEFORE (every line of the national text one upload, mandatory unless it says
"(nếu có)"; the wizard asked them all). After: procedures.national_components, counted by the wizard's own rule
procedures.components.lightest_mandatory_uploads (online channel, the lightest case, no condition ticked).
No database: the parsed rows carry the attributes the rule reads.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
from production_env import production_secrets  # noqa: E402  (bench/: the DEBUG-off settings want secrets)

production_secrets()

import django  # noqa: E402

django.setup()

from procedures.components import lightest_mandatory_uploads  # noqa: E402
from procedures.constants import ComponentRole  # noqa: E402
from procedures.national_components import read_components  # noqa: E402
from tests.procedures.national_data import _candidates  # noqa: E402

BEFORE = "2fa9633"  # the lead's commit of issue 25, before the tables were read
LIMIT = 8
BUCKETS = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 6), (7, 8), (9, 12), (13, 20), (21, 10_000)]


def records() -> list[dict]:
    for folder in _candidates():
        path = folder / "tthc_all.jsonl.gz"
        if path.exists():
            with gzip.open(path, "rt", encoding="utf-8") as stream:
                return [json.loads(line) for line in stream if line.strip()]
    sys.exit("The national data is missing: ../shared/data/tthc-national-2026 beside the clone, or TTHC_DATA_DIR.")


def old_parser():
    """Return parse_components of the commit BEFORE, loaded from git (the code as it ran)."""
    source = subprocess.run(["git", "show", f"{BEFORE}:procedures/national.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("procedures._national_before")
    module.__package__ = "procedures"
    sys.modules[module.__name__] = module
    exec(compile(source, f"{BEFORE}:procedures/national.py", "exec"), module.__dict__)  # noqa: S102
    return module.parse_components


def old_mandatory(rows) -> int:
    # procedures.imports at BEFORE: every row an upload, is_required unless its name says "(nếu có)".
    return sum(1 for row in rows if "(nếu có)" not in row.name)


def summary(values: list[int]) -> dict:
    return {"median": statistics.median(values), "max": max(values), "over": sum(v > LIMIT for v in values),
            "mean": round(statistics.mean(values), 2)}


def distribution(values: list[int]) -> list[tuple[str, int]]:
    out = []
    for low, high in BUCKETS:
        label = str(low) if low == high else (f"{low}–{high}" if high < 10_000 else f"≥ {low}")
        out.append((label, sum(low <= v <= high for v in values)))
    return out


def main() -> None:
    parse_before = old_parser()
    rows_out, reasons = [], Counter()
    roles = Counter()
    for record in records():
        text = record.get("thanh_phan_ho_so") or ""
        reading = read_components(text)
        roles.update(row.role for row in reading.rows)
        after = lightest_mandatory_uploads(reading.rows)
        before = old_mandatory(parse_before(text))
        rows_out.append((record["ma_thu_tuc"], before, after, bool(reading.doubts), record["ten_thu_tuc"]))
        reasons.update({re.sub(r"\d+", "N", re.sub(r"“[^”]{0,600}”", "“…”", doubt)).split(" (")[0]
                        for doubt in reading.doubts})
    before = [r[1] for r in rows_out]
    after = [r[2] for r in rows_out]
    flagged = sum(r[3] for r in rows_out)
    b, a = summary(before), summary(after)
    lines = [
        "# Mandatory uploads per procedure, whole national catalogue",
        "",
        f"{len(rows_out)} procedures of tthc_all.jsonl.gz. Command: `.venv/bin/python bench/components.py --write`.",
        f"Before: the parser of {BEFORE} (every line an upload). After: procedures.national_components, counted by",
        "procedures.components.lightest_mandatory_uploads (online channel, lightest case, no condition ticked).",
        "",
        "| | median | mean | max | over 8 |",
        "|---|---|---|---|---|",
        f"| before | {b['median']} | {b['mean']} | {b['max']} | {b['over']} |",
        f"| after | {a['median']} | {a['mean']} | {a['max']} | {a['over']} |",
        "",
        "| mandatory uploads | procedures before | procedures after |",
        "|---|---|---|",
        *[f"| {label} | {x} | {y} |" for (label, x), (_, y) in zip(distribution(before), distribution(after))],
        "",
        f"Procedures flagged for the operator's review: {flagged} of {len(rows_out)}.",
        "",
        "| reason (a procedure may have several) | procedures |",
        "|---|---|",
        *[f"| {reason} | {count} |" for reason, count in reasons.most_common()],
        "",
        "Rows by role after: " + ", ".join(f"{ComponentRole(role).name} {count}" for role, count in roles.most_common()),
        "",
        "The twenty heaviest after:",
        "",
        "| code | before | after | name |",
        "|---|---|---|---|",
        *[f"| {code} | {x} | {y} | {name[:90]} |" for code, x, y, _, name in sorted(rows_out, key=lambda r: -r[2])[:20]],
    ]
    report = "\n".join(lines) + "\n"
    if "--summary" not in sys.argv:
        print("code\tbefore\tafter\tneeds_review\tname")
        for code, x, y, flag, name in rows_out:
            print(f"{code}\t{x}\t{y}\t{int(flag)}\t{name}")
        print()
    print(report)
    if "--write" in sys.argv:
        (ROOT / "bench" / "results" / "components.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
