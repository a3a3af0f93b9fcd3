"""The cluster test's figures per phase, the checks that must hold, and bench/results/cluster.{md,json}."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from cluster_load import IPN, PRIVATE, PUBLIC, SUBMISSION, EventLog

CLEAR = "an HTTP status"  # what a refused submission must have shown its citizen
# Throughput kept, as a share of the phase before any failure: after them all, and during each. Lenient bounds:
# the machine is shared (its load average is in the results), and a node restarting competes for its 2 CPUs.
RECOVERED, KEPT = 0.5, 0.25


def phase_rows(log: EventLog, phases: list[dict]) -> list[dict]:
    rows = []
    for phase in phases:
        inside = [e for e in log.events if phase["from"] <= e.at < phase["to"]]
        sent = [outcome for at, outcome in log.requests if phase["from"] <= at < phase["to"]]
        seconds = max(phase["to"] - phase["from"], 0.001)
        row = {**phase, "seconds": round(seconds, 1), "requests": len(sent), "req_per_s": round(len(sent) / seconds, 1),
               "answers": dict(Counter(sent))}
        for kind in (PUBLIC, PRIVATE, IPN):
            mine = [e for e in inside if e.kind == kind]
            row[kind] = {"n": len(mine), "failed": sum(e.outcome != "ok" for e in mine),
                         "failures": dict(Counter(e.outcome for e in mine if e.outcome != "ok"))}
        submissions = [e for e in inside if e.kind == SUBMISSION]
        row[SUBMISSION] = {
            "n": len(submissions),
            "committed_first_time": sum(e.outcome == "ok" and not e.refusals for e in submissions),
            "refused_then_retried_to_success": sum(e.outcome == "ok" and bool(e.refusals) for e in submissions),
            "failed": sum(e.outcome != "ok" for e in submissions),
            "refusals_seen": dict(Counter(r for e in submissions for r in e.refusals)),
            "per_s": round(sum(e.outcome == "ok" for e in submissions) / seconds, 2),
            "failures": [f"{e.outcome} (after {e.refusals})" for e in submissions if e.outcome != "ok"][:5],
        }
        row["task_errors"] = [e.outcome for e in inside if e.kind == "task"]
        rows.append(row)
    return rows


def e_mail_figures(outbox: dict, received: list[str]) -> dict:
    sent_ids = set(outbox["sent_message_ids"])
    counts = Counter(received)
    return {
        "rows": outbox["rows"], "by_status": outbox["by_status"], "received": len(received),
        "lost": len(sent_ids - set(counts)),
        "doubled_with_another_message_id": len(set(counts) - sent_ids),
        "redelivered_deduplicated_by_message_id": sum(n - 1 for n in counts.values() if n > 1),
    }


def problems_in(rows: list[dict], log: EventLog, db: dict, mail: dict) -> list[str]:
    found = []
    for kind in (PUBLIC, PRIVATE, IPN):
        failed = sum(row[kind]["failed"] for row in rows)
        if failed:
            found.append(f"{failed} failed {kind}s")
    submissions = [e for e in log.events if e.kind == SUBMISSION]
    if any(e.outcome != "ok" for e in submissions):
        found.append(f"{sum(e.outcome != 'ok' for e in submissions)} submissions never succeeded")
    unclear = [r for e in submissions for r in e.refusals if not r.isdigit()]
    if unclear:
        found.append(f"submissions refused without {CLEAR}: {dict(Counter(unclear))}")
    codes = [e.code for e in submissions if e.outcome == "ok"]
    if not codes:
        found.append("no submission: nothing was checked")
    if not (len(codes) == len(set(codes)) == db["submitted"]["dossiers"] == db["submitted"]["submit_events"]) \
            or set(codes) != set(db["submitted"]["codes"]):
        found.append(f"dossiers in the database ({db['submitted']['dossiers']}, {db['submitted']['submit_events']} "
                     f"submit events) are not the {len(set(codes))} submissions answered")
    i = db["integrity"]
    if not i["ipn_payments_sent"] or not (i["ipn_payments_sent"] == i["ipn_payments_paid"] == i["accepted_callbacks"]
                                          == i["mark_paid_events"]) or i["accepted_callbacks_per_payment_max"] > 1:
        found.append("a payment was not paid exactly once")
    if mail["lost"] or mail["doubled_with_another_message_id"] or set(mail["by_status"]) - {"sent"}:
        found.append(f"e-mails lost or doubled: {mail}")
    before = rows[0]["req_per_s"]
    if rows[-1]["req_per_s"] < RECOVERED * before:
        found.append(f"throughput after ({rows[-1]['req_per_s']} req/s) below {RECOVERED:.0%} of before ({before})")
    slow = [row["phase"] for row in rows[1:-1] if row["req_per_s"] < KEPT * before]
    if slow:
        found.append(f"throughput below {KEPT:.0%} of before during: {', '.join(slow)}")
    errors = [e for row in rows for e in row["task_errors"]]
    if errors:
        found.append(f"{len(errors)} tasks broke: {errors[:3]}")
    return found


def report(*, log: EventLog, scenario, db: dict, outbox: dict, received: list[str], out: Path, setup: dict, write) -> int:
    rows = phase_rows(log, scenario.phases)
    mail = e_mail_figures(outbox, received)
    problems = problems_in(rows, log, db, mail)
    records = [{
        "phase": row["phase"], "seconds": row["seconds"], "requests": row["requests"], "req_per_s": row["req_per_s"],
        "public": f"{row[PUBLIC]['n']} / {row[PUBLIC]['failed']}", "private": f"{row[PRIVATE]['n']} / {row[PRIVATE]['failed']}",
        "submissions": f"{row[SUBMISSION]['committed_first_time']} + {row[SUBMISSION]['refused_then_retried_to_success']}"
                       f" / {row[SUBMISSION]['failed']}",
        "refusals": ", ".join(f"{k}×{v}" for k, v in row[SUBMISSION]["refusals_seen"].items()) or "–",
        "ipn": f"{row[IPN]['n']} / {row[IPN]['failed']}", "done": row["done"] or "–",
        "haproxy": f"{row['haproxy']['retries']} / {row['haproxy']['redispatches']} / {row['haproxy']['5xx_to_clients']}",
    } for row in rows]
    submissions = [e for e in log.events if e.kind == SUBMISSION]  # those that ended after the last phase too
    totals = {"answered": sum(e.outcome == "ok" for e in submissions),
              "distinct_codes": len({e.code for e in submissions if e.outcome == "ok"}),
              "failed": sum(e.outcome != "ok" for e in submissions),
              "refusals_seen": dict(Counter(r for e in submissions for r in e.refusals))}
    totals["forms_sent_with_their_idempotency_key"] = dict(log.keyed)
    retried = [e.seconds for e in submissions if e.outcome == "ok" and e.refusals]
    totals["longest_wizard_with_refusals_s"] = round(max(retried, default=0.0), 1)
    totals["longest_wizard_without_s"] = round(max((e.seconds for e in submissions if e.outcome == "ok"
                                                    and not e.refusals), default=0.0), 1)
    i, s = db["integrity"], db["submitted"]
    notes = "\n".join([
        "Columns: public / private / ipn = requests / failed as the client saw them (no client retry: HAProxy's); "
        "submissions (counted in the phase they ended in) = committed at the first try + refused (an HTTP answer) then "
        "retried to success / never succeeded; "
        "refusals = the answers retried through; HAProxy = requests it sent again to a node, to another node, and "
        "the 5xx it answered the clients (its own stats); requests and req/s count every HTTP request of the phase, retries "
        "included.",
        "",
        f"Submissions: {totals['answered']} answered, {totals['failed']} never; the longest wizard that went through "
        f"refusals took {totals['longest_wizard_with_refusals_s']} s (without: {totals['longest_wizard_without_s']} s); "
        f"forms sent with their idempotency key: {totals['forms_sent_with_their_idempotency_key']}. "
        f"Database: {s['dossiers']} dossiers submitted during the run, {s['submit_events']} submit events, for "
        f"{len({e.code for e in log.events if e.code})} submissions answered. Payments: {i['ipn_payments_sent']} received an "
        f"IPN (30 % of the IPNs replayed), {i['ipn_payments_paid']} paid, {i['accepted_callbacks']} accepted callbacks, "
        f"at most {i['accepted_callbacks_per_payment_max']} per payment. E-mails: {mail['rows']} rows {mail['by_status']}, "
        f"{mail['received']} messages received by the SMTP server, "
        f"{db['worker_tasks'].get('e-mails requeued by the sweep', 0)} requeued by the beat's sweep, {mail['lost']} lost, "
        f"{mail['doubled_with_another_message_id']} doubled under another Message-ID, "
        f"{mail['redelivered_deduplicated_by_message_id']} redelivered with the same Message-ID (the outbox's "
        "at-least-once guarantee when a worker dies after the server took the message: notifications/sending.py).",
        "",
        "Verdict: " + ("everything held." if not problems else "FAILED — " + "; ".join(problems) + "."),
    ])
    path = write("cluster", setup=setup, records=records, notes=notes, out_dir=out,
                 header=["phase", "s", "requests", "req/s", "public reads / failed", "logged-in reads / failed",
                         "submissions ok first + after retry / failed", "refusals retried", "IPNs / failed",
                         "HAProxy retries / redispatches / 5xx", "what was done"],
                 fields=["phase", "seconds", "requests", "req_per_s", "public", "private", "submissions", "refusals",
                         "ipn", "haproxy", "done"])
    payload = json.loads(path.with_suffix(".json").read_text())
    payload.update(phases=rows, submissions=totals, database=db, e_mail=mail, problems=problems)
    path.with_suffix(".json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    print(path.read_text())
    return 1 if problems else 0
