"""The hand-checked table of tests/procedures/test_component_table.py, before and after: mandatory uploads on the
lightest path of each of its procedures, with the parser of 2fa9633 and with today's.

    .venv/bin/python bench/components_table.py > bench/results/components-table.md
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import components as before_after  # noqa: E402  (bench/components.py)

from procedures.components import lightest_mandatory_uploads  # noqa: E402
from tests.procedures import test_component_table as table  # noqa: E402


def main() -> None:
    old = before_after.old_parser()
    print("# The hand-checked table, before and after\n")
    print("Command: `.venv/bin/python bench/components_table.py`. The expectations themselves are asserted by "
          "tests/procedures/test_component_table.py.\n")
    print("| code | procedure | before | after (lightest path) | cases |")
    print("|---|---|---:|---:|---:|")
    for entry in table.TABLE:
        entry = getattr(entry, "values", [entry])[0]
        text = table.national_texts()[entry.code]
        before = before_after.old_mandatory(old(text))
        after = lightest_mandatory_uploads(table.read_components(text).rows)
        print(f"| {entry.code} | {entry.what} | {before} | {after} | {entry.cases or '—'} |")


if __name__ == "__main__":
    main()
