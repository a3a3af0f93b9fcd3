"""How many real procedures a citizen can submit online: those with at least one receiving agency, before the
receiving map (the import's name matching only) and after it (the demo province's map, demo/data.py).

The real national catalogue (tests/procedures/national_data.py finds ../shared/data/tthc-national-2026) is
imported into a database holding only the demo agencies and fields; the procedures' agencies are counted by
implementation level; then the demo map is seeded and applied (procedures.receiving.receiving_map_apply), timed
and with its queries counted, and the procedures are counted again.

    python bench/agency_map.py            # a throw-away SQLite database under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_agencies python bench/agency_map.py

Writes bench/results/agency_map.{md,json} (BENCH_OUT to write elsewhere). The database is flushed first.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
from production_env import production_secrets  # noqa: E402  (bench/: the DEBUG-off settings want secrets)

production_secrets()
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='agency-map-')}/bench.sqlite3"
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results"))

# Rows of the table: a label and which procedures (by their ",tinh,xa," levels) it counts.
GROUPS = [
    ("Cấp bộ only", lambda levels: levels == {"bo"}),
    ("with Cấp tỉnh", lambda levels: "tinh" in levels),
    ("with Cấp xã", lambda levels: "xa" in levels),
    ("Cấp xã only", lambda levels: levels == {"xa"}),
    ("Cấp tỉnh only", lambda levels: levels == {"tinh"}),
    ("with Cơ quan khác", lambda levels: "khac" in levels),
    ("without Cấp bộ (province's own)", lambda levels: bool(levels) and "bo" not in levels),
    ("all", lambda levels: True),
]


def coverage() -> dict[str, dict[str, int]]:
    """Per group: the procedures, and those with at least one receiving agency."""
    from procedures.models import Procedure

    received = set(Procedure.agencies.through.objects.values_list("procedure_id", flat=True).distinct())
    out = {label: {"procedures": 0, "received": 0} for label, _ in GROUPS}
    for pk, levels in Procedure.objects.values_list("pk", "levels"):
        keys = {key for key in levels.split(",") if key}
        for label, belongs in GROUPS:
            if belongs(keys):
                out[label]["procedures"] += 1
                out[label]["received"] += pk in received
    return out


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo.services import SeedReport, demo_agencies_ensure, demo_fields_ensure, demo_receiving_map_ensure
    from procedures.imports import ImportOutcome, procedures_import, records_from_file
    from demo import data as demo_data
    from procedures.models import Agency, Procedure, ReceivingRule
    from procedures.receiving import receiving_map_apply
    from tests.procedures.national_data import data_dir

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    report = SeedReport(created={})
    # Before: the agencies the demo had before the map (departments and People's Committees, no police).
    demo_agencies_ensure(report=report)
    Agency.objects.filter(code__in=[row[0] for row in demo_data.POLICE]).delete()
    demo_fields_ensure(report=report)
    assert not ReceivingRule.objects.exists()

    path = data_dir() / "tthc_all.jsonl.gz"
    started = time.perf_counter()
    imported = procedures_import(records=records_from_file(path.name, path.read_bytes()))
    import_seconds = time.perf_counter() - started
    assert imported.count(ImportOutcome.CREATED) == Procedure.objects.count()
    before = coverage()

    agencies = demo_agencies_ensure(report=report)
    demo_receiving_map_ensure(agencies=agencies, report=report)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        applied = receiving_map_apply()
        apply_seconds = time.perf_counter() - started
    after = coverage()
    links = Procedure.agencies.through.objects.count()

    # A province of real size: a People's Committee and a police station in each of Quảng Ngãi's 96 communes.
    from accounts.selectors import commune_choices
    from procedures.constants import AgencyKind, AgencyLevel

    served = set(Agency.objects.exclude(commune_code=None).values_list("commune_code", flat=True))
    missing = [(code, name) for code, name in commune_choices(province_code=51) if code not in served]
    Agency.objects.bulk_create([
        Agency(code=f"000.{40 + 10 * k + n // 100}.{n % 100:02d}.H34", name=f"{label} {name[0].lower()}{name[1:]}",
               level=AgencyLevel.COMMUNE, kind=kind, commune_code=code)
        for n, (code, name) in enumerate(missing)
        for k, (kind, label) in enumerate([(AgencyKind.PEOPLE_COMMITTEE, "Ủy ban nhân dân"), (AgencyKind.POLICE, "Công an")])
    ])
    with CaptureQueriesContext(connection) as full_queries:
        started = time.perf_counter()
        full = receiving_map_apply()
        full_seconds = time.perf_counter() - started
    full_size = {"communes": len(served) + len(missing), "seconds": round(full_seconds, 2), "queries": len(full_queries),
                 "changed": full.changed, "added": full.added,
                 "links": Procedure.agencies.through.objects.count(),
                 "search_text_max": max(len(t) for t in Procedure.objects.values_list("search_text", flat=True))}

    results = {
        "database": connection.vendor,
        "procedures": Procedure.objects.count(),
        "agencies": len(agencies),
        "rules": ReceivingRule.objects.count(),
        "import_seconds": round(import_seconds, 1),
        "apply": {"seconds": round(apply_seconds, 2), "queries": len(queries), "changed": applied.changed,
                  "added": applied.added, "removed": applied.removed, "without_agency": applied.without_agency},
        "links": links,
        "real_size": full_size,
        "before": before,
        "after": after,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "agency_map.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    (OUT / "agency_map.md").write_text(markdown(results))
    print(markdown(results))
    return 0


def _share(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f} %)" if whole else "—"


def markdown(r: dict) -> str:
    lines = [
        "# Receiving agencies of the real catalogue: name matching only, then the province's map",
        "",
        f"The real national catalogue ({r['procedures']} procedures, tthc_all.jsonl.gz) imported on {r['database']} "
        f"into a database holding the demo agencies of before the map (10 departments, 7 communes' People's "
        f"Committees) and no map: **before** counts the procedures the import's name matching gave an agency. "
        f"Then the demo's {r['agencies']} agencies of now (the provincial police and each commune's police added, "
        f"the communes linked to their 2025 units) and its map ({r['rules']} rows of demo/data.py "
        f"`RECEIVING_MAP`) are seeded and the map is applied to the whole catalogue: **after**.",
        "",
        "| procedures | count | ≥ 1 receiving agency before | after |",
        "|---|---:|---:|---:|",
    ]
    for label, _ in GROUPS:
        b, a = r["before"][label], r["after"][label]
        lines.append(f"| {label} | {b['procedures']} | {_share(b['received'], b['procedures'])} | "
                     f"{_share(a['received'], a['procedures'])} |")
    apply = r["apply"]
    lines += [
        "",
        f"Applying the map: {apply['seconds']} s, {apply['queries']} queries for the whole catalogue; "
        f"{apply['changed']} procedures changed, {apply['added']} links added, {apply['removed']} removed; "
        f"{r['links']} procedure–agency links in all. The import itself took {r['import_seconds']} s.",
        "",
        f"At a province's real size ({r['real_size']['communes']} communes of Quảng Ngãi, each with its People's "
        f"Committee and police), applying the map again: {r['real_size']['seconds']} s, {r['real_size']['queries']} "
        f"queries; {r['real_size']['changed']} procedures changed, {r['real_size']['added']} links added, "
        f"{r['real_size']['links']} links in all; the longest search text {r['real_size']['search_text_max']} "
        f"characters (each commune's agencies of a kind are one phrase in it, not {r['real_size']['communes']} names).",
        "",
        "What stays without an agency, and why: procedures of a ministry only (Cấp bộ); the State's own offices at "
        "province or commune level (customs, tax, treasury, social insurance, courts), which the demo map names "
        "no provincial agency for; and provincial fields the demo map leaves out (banking, maritime, "
        "railways, …) — an operator completes the map with the province's real departments.",
        "",
        "Command: `python bench/agency_map.py` (SQLite in a temporary folder; `DATABASE_URL=…` for PostgreSQL).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
