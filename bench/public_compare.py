"""Before/after table of two bench/public.py runs: `python bench/public_compare.py BEFORE-runs.json AFTER-runs.json OUT.md`."""

import json
import sys


def main(before_path: str, after_path: str, out: str) -> None:
    before, after = json.load(open(before_path)), json.load(open(after_path))
    lines = ["| workload | scale | ÷ ceiling before → after | p99 ms before → after | req/s before → after |",
             "|---|---:|---:|---:|---:|"]
    for b, a in zip(before, after):
        s = a["scale"]
        lines.append(f"| ceiling /bench/ping/ | {s}× | 1 → 1 | {max(c['p99_ms'] for c in b['ceiling_runs'])} → "
                     f"{max(c['p99_ms'] for c in a['ceiling_runs'])} | {b['ceiling_rps']} → {a['ceiling_rps']} |")
        for key, label in a["labels"].items():
            rb, ra = b["results"].get(key), a["results"].get(key)
            cell = lambda r, f: (str(r[f]) if r else f"— ({b['statuses'].get(key)})")  # noqa: E731
            lines.append(f"| {label} | {s}× | {cell(rb, 'ratio')} → {cell(ra, 'ratio')} | {cell(rb, 'p99_ms')} → "
                         f"{cell(ra, 'p99_ms')} | {cell(rb, 'rps')} → {cell(ra, 'rps')} |")
    lines += ["", "ms per view in-process (median of 5), at each scale, before → after:", "",
              "| view | " + " | ".join(f"{r['scale']}×" for r in after) + " |", "|---|" + "---:|" * len(after)]
    for group in ("public", "admin_superuser", "admin_clerk"):
        for i, entry in enumerate(after[-1]["views"][group]):
            cells = []
            for rb, ra in zip(before, after):
                eb, ea = rb["views"][group][i], ra["views"][group][i]
                fmt = lambda e: f"{e['median_ms']}" + ("" if e["status"] == 200 else f" ({e['status']})")  # noqa: E731
                cells.append(f"{fmt(eb)} → {fmt(ea)}")
            lines.append(f"| {group}: `{entry['path'].split('?', 1)[-1] if '?' in entry['path'] else entry['path']}` | "
                         + " | ".join(cells) + " |")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
