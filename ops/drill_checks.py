"""What the operator checks on the restored portal (docs/operations.md, "After the restore"), as the drill asserts it.

Each check is named, passed or not, with the detail a reader needs when it is not.
"""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor

import requests

import drill_portal as portal


CODE = re.compile(r"\b\d{3}\.\d{2}\.\d{2}\.H34-\d{6}-\d{4}\b")


def _check(passed: bool, **detail) -> dict:
    return {"passed": bool(passed), **detail}


def _number(code_or_receipt: str) -> int:
    return int(re.split(r"[-/]", code_or_receipt)[-1])


def _prefix(code_or_receipt: str) -> str:
    return code_or_receipt.rsplit("-" if "/" not in code_or_receipt else "/", 1)[0]


def run_checks(drill, *, world: dict, at_target: dict, after: list[dict]) -> dict:
    restored = portal.portal_state()
    before = at_target["state"]
    checks = {
        "every_dossier_of_T_present": _check(
            not set(before["dossiers"]) - set(restored["dossiers"]),
            missing=sorted(set(before["dossiers"]) - set(restored["dossiers"]))[:20], count=len(before["dossiers"])),
        "every_file_of_T_same_checksum_in_storage": _check(
            all(restored["dossiers"].get(code, {}).get("files") == d["files"] for code, d in before["dossiers"].items()),
            files=len(portal.storage_keys(before))),
        "every_receipt_of_T_present": _check(set(before["receipts"]) <= set(restored["receipts"]),
                                             count=len(before["receipts"])),
        **nothing_after_target(drill, before=before, restored=restored, after=after),
        "every_file_of_T_downloadable_over_http": downloads(drill, before),
        **numbering_checks(at_target=at_target, restored_numbering=drill.figures["numbering_restored"], after=after),
    }
    checks.update(smoke_path(drill, world=world, before=before, after=after))
    for name, check in checks.items():
        print(f"  {'ok ' if check['passed'] else 'FAIL'} {name}", flush=True)
    return checks


def nothing_after_target(drill, *, before: dict, restored: dict, after: list[dict]) -> dict:
    """No dossier, receipt or file written after T is on the restored portal."""
    keys = [key for row in after for key in row["files"]]
    present = []
    for key in keys:
        try:
            drill.s3_client.head_object(Bucket=drill.bucket, Key=key)
            present.append(key)
        except drill.s3_client.exceptions.ClientError:
            pass
    return {
        "no_dossier_after_T": _check(set(restored["dossiers"]) == set(before["dossiers"]),
                                     extra=sorted(set(restored["dossiers"]) - set(before["dossiers"]))[:20],
                                     written_after_T=len(after)),
        "no_receipt_after_T": _check(set(restored["receipts"]) == set(before["receipts"]),
                                     extra=sorted(set(restored["receipts"]) - set(before["receipts"]))[:20]),
        "no_file_after_T_in_bucket": _check(not present, present=present[:20], written_after_T=len(keys)),
    }


def downloads(drill, state: dict) -> dict:
    """Every file of T, downloaded as its owner through the portal (the view, then the signed URL)."""
    from accounts.models import User
    from tests.support.gunicorn import citizen_session

    sessions = {email: citizen_session(drill.server, User.objects.get(email=email))
                for email in {d["owner"] for d in state["dossiers"].values()}}
    portal.close_connections()
    jobs = [(sessions[d["owner"]], uuid, f["sha256"]) for d in state["dossiers"].values()
            for uuid, f in d["files"].items()]

    def fetch(job) -> bool:
        session, uuid, sha256 = job
        answer = session.get(f"{drill.server.url}/ho-so/tep/{uuid}/", timeout=60)
        return answer.status_code == 200 and hashlib.sha256(answer.content).hexdigest() == sha256

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(fetch, jobs))
    return _check(all(results), files=len(jobs), failed=results.count(False))


def numbering_checks(*, at_target: dict, restored_numbering: dict, after: list[dict]) -> dict:
    """The restore brings the counters back to T (so the numbers given after T would be given again);
    numbering_raise lifts them from the damaged database's marks."""
    codes_after = {row["code"] for row in after}
    next_without = {f"{m['agency']}-{m['day'][2:4]}{m['day'][5:7]}{m['day'][8:10]}-{m['last'] + 1:04d}"
                    for m in restored_numbering["dossier_codes"]}
    receipts_after = {row["receipt"] for row in after}
    next_receipt_without = {f"{m['agency']}/{m['year']}/{m['last'] + 1:07d}" for m in restored_numbering["receipts"]}
    return {
        "restored_counters_are_T_counters": _check(restored_numbering == at_target["numbering"]),
        "without_numbering_raise_codes_would_be_reused": _check(
            bool(next_without & codes_after), would_reuse=sorted(next_without & codes_after)),
        "without_numbering_raise_receipts_would_be_reused": _check(
            bool(next_receipt_without & receipts_after), would_reuse=sorted(next_receipt_without & receipts_after)),
    }


def _fresh(new: str, issued: set[str]) -> dict:
    same_series = [_number(x) for x in issued if _prefix(x) == _prefix(new)]
    return _check(new not in issued and _number(new) > max(same_series, default=0), new=new,
                  highest_issued=max(same_series, default=0))


def smoke_path(drill, *, world: dict, before: dict, after: list[dict]) -> dict:
    """A citizen signs in, opens "Hồ sơ của tôi", a dossier, downloads a file, submits a new dossier and pays it."""
    from tests.reliability.test_postgres_dropped import APPLICANT
    from tests.support.gunicorn import csrf_post, wizard_submit

    base, owner = drill.server.url, world["citizens"][0]
    session = requests.Session()
    session.headers["Connection"] = "close"
    session.get(f"{base}/tai-khoan/dang-nhap/", timeout=60)
    signed_in = csrf_post(session, f"{base}/tai-khoan/dang-nhap/", {"username": owner.email,
                                                                     "password": portal.PASSWORD})
    mine = session.get(f"{base}/ho-so/", timeout=60)
    listed = list(dict.fromkeys(CODE.findall(mine.text)))  # the first page, newest first: the citizen opens one
    owned = {c for c, d in before["dossiers"].items() if d["owner"] == owner.email}
    code = listed[0] if listed else ""
    page = session.get(f"{base}/ho-so/{code}/", timeout=60)
    uuid, stored = next(iter(before["dossiers"].get(code, {"files": {"-": {"sha256": ""}}})["files"].items()))
    download = session.get(f"{base}/ho-so/tep/{uuid}/", timeout=60)
    procedure = portal.procedure_for_wizard(world["procedures"][0].pk)
    submitted = wizard_submit(session, base, procedure, applicant=APPLICANT)
    new_code = submitted.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
    receipt = portal.pay_over_http(new_code, base)
    portal.close_connections()
    issued_codes = set(before["dossiers"]) | {row["code"] for row in after}
    issued_receipts = set(before["receipts"]) | {row["receipt"] for row in after}
    return {
        "smoke_sign_in": _check(signed_in.status_code == 302, status=signed_in.status_code),
        "smoke_my_dossiers_lists_only_hers_of_T": _check(mine.status_code == 200 and listed and set(listed) <= owned,
                                                         listed=len(listed), of_T=len(owned)),
        "smoke_dossier_page": _check(page.status_code == 200 and code in page.text, code=code, status=page.status_code),
        "smoke_file_download": _check(download.status_code == 200
                                      and hashlib.sha256(download.content).hexdigest() == stored["sha256"]),
        "smoke_new_dossier_submitted": _check(submitted.status_code == 302, status=submitted.status_code),
        "new_dossier_code_fresh": _fresh(new_code, issued_codes),
        "new_receipt_number_fresh": _fresh(receipt, issued_receipts),
    }
