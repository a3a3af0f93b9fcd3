"""National sync benchmark: 10 000 outbox records delivered to the national portal's sandbox over real HTTP, the
sandbox failing one call in five (`make bench BENCH=national_sync`).

The stack: PostgreSQL, gunicorn serving the portal with its sandbox (/sandbox/dvcqg/), Redis, a real Celery worker
(the delivery tasks, their backoff retries) and a real Celery beat (the sweep). The records are written straight
into the outbox (BENCH_DOSSIERS dossiers × 5 records: the submission, three steps and a progress), every dossier is
queued once, and the clock runs until every record is delivered. Then the sandbox's own tables are read: each
record held exactly once, in sequence order per dossier.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from harness import PYTHON, ROOT, Stack, write_table

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "2000"))
RECORDS_PER_DOSSIER = 5
FAIL_EVERY = int(os.environ.get("BENCH_FAIL_EVERY", "5"))
CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "4"))
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/4")
PORT = int(os.environ.get("BENCH_PORT", "8351"))
PROTOCOL = os.environ.get("BENCH_PROTOCOL", "motcua")

SETUP = """
import json
from django.utils import timezone
from accounts.models import User
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from national_sync.constants import RecordKind
from national_sync.models import OutboxRecord
from national_sync.payload import dossier_payload
from procedures.models import Agency, Field, Procedure
N = %d
agency = Agency.objects.create(code="000.00.98.H34", name="Sở thử tải đồng bộ")
field = Field.objects.create(code="bench-sync", name="Thử tải")
procedure = Procedure.objects.create(code="1.999998.000.00.00.H34", name="Thủ tục thử tải đồng bộ", field=field,
                                     online_level=4, processing_days=5)
owner = User.objects.create_user(email="bench-sync@example.vn", password="x", full_name="Người thử tải",
                                 identity_number="001099000001", is_active=True)
now = timezone.now()
dossiers = Dossier.objects.bulk_create([
    Dossier(procedure=procedure, agency=agency, owner=owner, status=DossierStatus.DONE, code=f"SYNC-{n:06d}",
            applicant_name="Người thử tải", applicant_identity="001099000001", submitted_at=now, received_at=now,
            due_date=timezone.localdate() + timezone.timedelta(days=5), finished_at=now) for n in range(N)],
    batch_size=1000)
base = dossier_payload(Dossier.objects.select_related("procedure", "agency", "owner").get(pk=dossiers[0].pk))
steps = [(RecordKind.DOSSIER, 1, ""), (RecordKind.STATUS, 2, ""), (RecordKind.STATUS, 4, ""),
         (RecordKind.PROGRESS, 4, "20991231170000"), (RecordKind.STATUS, 9, "")]
records = []
for d in dossiers:
    for seq, (kind, status, due) in enumerate(steps, start=1):
        payload = {**base, "MaHoSo": d.code, "TrangThaiHoSo": status, "ThoiDiemXuLy": f"2026120708{seq:02d}00",
                   "NoiDungXuLy": f"Bước {seq}",
                   "NgayHenTra": due or base["NgayHenTra"]}
        records.append(OutboxRecord(dossier=d, sequence=seq, kind=kind, national_status=status, channel=2,
                                    procedure_code=payload["MaTTHC"], payload=payload))
OutboxRecord.objects.bulk_create(records, batch_size=2000)
print(json.dumps({"dossiers": len(dossiers), "records": len(records)}))
"""

ENQUEUE = """
import json
from national_sync.models import OutboxRecord
from national_sync.tasks import outbox_enqueue
ids = sorted(set(OutboxRecord.objects.values_list("dossier_id", flat=True)))
for d in ids:
    outbox_enqueue(d)
print(json.dumps(len(ids)))
"""

VERIFY = """
import json
from collections import Counter, defaultdict
from django.db.models import Sum
from national_sync.models import OutboxRecord
from sandbox_dvcqg.models import Call, Message
P = %r
records = {str(u): (code, seq) for u, code, seq in OutboxRecord.objects.values_list("uuid", "dossier__code", "sequence")}
held = list(Message.objects.filter(protocol=P).order_by("id").values_list("request_id", "code", "sequence"))
ids = [r for r, _c, _s in held]
per_code = defaultdict(list)
for request_id, code, seq in held:
    per_code[code].append(seq)
out_of_order = [c for c, seqs in per_code.items() if seqs != sorted(seqs)]
print(json.dumps({
    "records": len(records),
    "delivered": OutboxRecord.objects.filter(state="delivered").count(),
    "attempts": OutboxRecord.objects.aggregate(n=Sum("attempts"))["n"],
    "held": len(held), "held_distinct": len(set(ids)), "held_are_the_records": set(ids) == set(records),
    "dossiers_held": len(per_code), "out_of_order": len(out_of_order),
    "calls": dict(Counter(Call.objects.filter(protocol=P).values_list("outcome", flat=True))),
}))
"""


def _control(base: str, **body) -> dict:
    request = urllib.request.Request(base + "/sandbox/dvcqg/control/", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _delivered(stack: Stack) -> int:
    sql = "SELECT count(*) FROM national_sync_outboxrecord WHERE state = 'delivered'"
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", stack.db_name, "-tAc", sql],
                         capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def _celery(stack: Stack, *args: str, log) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "-m", "celery", "-A", "portal", *args, "--loglevel=WARNING"], cwd=ROOT,
                            env=stack.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def main() -> None:
    stack = Stack("sync", workers=3, threads=2, db_name="portal_sync_bench", extra_env={
        "CELERY_BROKER_URL": BROKER, "PAYMENT_SANDBOX": "0", "NATIONAL_SANDBOX": "1", "NATIONAL_SYNC_ENABLED": "1",
        "NATIONAL_SYNC_PROTOCOL": PROTOCOL, "NATIONAL_MOTCUA_PASSWORD": "bench-motcua-Zx81",
        "NATIONAL_V2_CLIENT_SECRET": "bench-v2-Qw72", "NATIONAL_SYNC_TIMEOUT": "10", "NATIONAL_SYNC_BACKOFF": "0.5",
        "NATIONAL_SYNC_BACKOFF_MAX": "5", "NATIONAL_SYNC_SWEEP_EVERY": "30",
        "NATIONAL_SYNC_SWEEP_AFTER": "30", "NATIONAL_SYNC_COMPARE_EVERY": "86400",
    })
    stack.port, stack.base = PORT, f"http://127.0.0.1:{PORT}"
    for name in ("NATIONAL_MOTCUA_URL", "NATIONAL_V2_URL"):
        stack.env[name] = f"{stack.base}/sandbox/dvcqg/{'motcua' if 'MOTCUA' in name else 'v2'}"
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    stack.create_database()
    created = stack.shell_json(SETUP % DOSSIERS)
    stack.start()
    logs = tempfile.NamedTemporaryFile(prefix="bench-sync-celery-", suffix=".log", delete=False)
    worker = beat = None
    try:
        control = _control(stack.base, protocol=PROTOCOL, mode="fail", every=FAIL_EVERY, times=0, clear=True)
        worker = _celery(stack, "worker", "--pool=prefork", f"--concurrency={CONCURRENCY}", "--without-gossip",
                         "--without-mingle", "--without-heartbeat", log=logs)
        beat = _celery(stack, "beat", "-s", logs.name + ".beat", log=logs)
        time.sleep(5)  # the worker up
        started = time.monotonic()
        stack.shell_json(ENQUEUE)
        progress = []
        while (done := _delivered(stack)) < created["records"]:
            progress.append((round(time.monotonic() - started, 1), done))
            stalled = len(progress) > 60 and progress[-60][1] == done
            if stalled or time.monotonic() - started > 3600:
                raise RuntimeError(f"delivery stalled or too slow: {done} of {created['records']} ({logs.name})")
            time.sleep(2)
        seconds = time.monotonic() - started
        _control(stack.base, protocol=PROTOCOL, mode="normal", every=1, times=0)
    finally:
        for process in (beat, worker):
            if process is not None:
                os.killpg(process.pid, 15)
                process.wait(timeout=60)
        stack.stop(drop=False)
    verify = stack.shell_json(VERIFY % PROTOCOL)
    stack.stop(drop=True)
    assert verify["delivered"] == verify["records"] == verify["held"] == verify["held_distinct"], verify
    assert verify["held_are_the_records"] and verify["out_of_order"] == 0, verify
    _write(created, verify, seconds, control, progress)


def _write(created: dict, verify: dict, seconds: float, control: dict, progress: list) -> None:
    calls = verify["calls"]
    total_calls = sum(calls.values())
    path = write_table(
        "national_sync" + ("" if PROTOCOL == "motcua" else f"-{PROTOCOL}"),
        setup={
            "protocol": PROTOCOL, "dossiers": created["dossiers"], "records": created["records"],
            "sandbox_fails_one_call_in": FAIL_EVERY, "celery_worker_concurrency": CONCURRENCY,
            "celery_beat": "sweep every 30 s (what is due for 30 s)", "gunicorn": "3 workers × 2 threads (portal + sandbox)",
            "database": "PostgreSQL (loopback)", "broker": "Redis", "backoff": "0.5 s doubled, at most 5 s",
            "load_average_after_run": [round(x, 2) for x in os.getloadavg()],
        },
        records=[{
            "records": verify["records"], "delivered": verify["delivered"], "held": verify["held"],
            "held_distinct": verify["held_distinct"], "out_of_order": verify["out_of_order"],
            "calls": total_calls, "failed": calls.get("failed", 0), "attempts": verify["attempts"],
            "seconds": round(seconds, 1), "per_second": round(verify["records"] / seconds, 1),
        }],
        header=["records", "delivered", "held by the sandbox", "distinct request ids", "dossiers out of order",
                "calls", "calls failed", "attempts (outbox)", "seconds", "records/s"],
        fields=["records", "delivered", "held", "held_distinct", "out_of_order", "calls", "failed", "attempts",
                "seconds", "per_second"],
        notes=(f"Every record delivered and held exactly once by the sandbox ({verify['held']} messages, "
               f"{verify['held_distinct']} distinct request ids, exactly the outbox's), in sequence order for all "
               f"{verify['dossiers_held']} dossiers. The sandbox answered {calls.get('failed', 0)} of "
               f"{total_calls} calls with an error (one in {FAIL_EVERY}, as set: {control}); each failed record was tried "
               f"again after its backoff by the worker, holding its dossier's later records back. Calls by outcome: "
               f"{calls}. Progress (seconds, delivered): {progress[:: max(len(progress) // 12, 1)]}."),
    )
    print(path.read_text())


if __name__ == "__main__":
    sys.exit(main())
