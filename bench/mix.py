"""The portal under a realistic mix, on the whole stack, against the stack's own ceiling.

gunicorn + PostgreSQL + Redis (cache and Celery broker) + a real Celery worker (e-mails to files) +
the payment sandbox's keys, on this machine. Virtual users, each logged in to its own account (about
20 dossiers each), pick weighted tasks back to back: catalogue searches typed without diacritics, with
filters and pages; procedure pages; their dossier list; the whole submission wizard with files (CSRF,
multipart, captcha in test mode) ending with a real dossier code; and the VNPay IPNs the bank sends,
30 % of them duplicates. Every request is timed under its endpoint; the ceiling is /bench/ping/ driven
by the same generator with the same users. After the run the database is checked: every submission
a dossier with its own code, every IPN'd payment paid once, every e-mail sent.

`make bench BENCH=mix` writes bench/results/mix.{md,json}. `BENCH_QUICK=1` (CI) is a short run that writes
to artifacts/bench/ instead. Either exits non-zero when any request failed or any check did not hold.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import sys
import time
from html import unescape
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlencode

from harness import (
    ROOT,
    DuplicatingFeed,
    Recorder,
    Session,
    Stack,
    mean_ms,
    run_mix,
    write_table,
)

sys.path.insert(0, str(ROOT))
from tests.support.worker import WorkerProcess  # noqa: E402  (the integration tests' real worker)

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
PROCEDURES = int(os.environ.get("BENCH_PROCEDURES", "600" if QUICK else "5000"))
CITIZENS = int(os.environ.get("BENCH_CITIZENS", "60" if QUICK else "300"))
PER_CITIZEN = int(os.environ.get("BENCH_DOSSIERS_PER_CITIZEN", "20"))
PAYMENTS = int(os.environ.get("BENCH_PAYMENTS", "400" if QUICK else "2000"))
# gunicorn's workers as in production (Dockerfile: 2 × CPUs + 1), one virtual user per worker: the CPUs are
# shared among requests in progress rather than requests queueing behind a slow one, so each endpoint's
# latency stays proportional to its own cost instead of all converging on the queue's wait.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", str(WORKERS)))
DURATION = float(os.environ.get("BENCH_DURATION", "20" if QUICK else "150"))
CEILING_SECONDS = float(os.environ.get("BENCH_CEILING_SECONDS", "6" if QUICK else "30"))
DUPLICATES = 0.3
NAME = os.environ.get("BENCH_NAME", "mix")
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "artifacts" / "bench" if QUICK else ROOT / "bench" / "results"))
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
VAR = ROOT / "var" / "bench-mix"

# Weights per task (a task may be several requests): a portal is mostly read.
# "ping" keeps the minimal view in the mix: its latency there, under the very same contention, is the yardstick
# that cancels out what else this shared machine is doing (see the notes of the results).
WEIGHTS = {"search": 25, "search_filtered": 12, "procedure": 20, "my_dossiers": 20, "submit": 4, "ipn": 10, "ping": 5}

L_PING = "GET /bench/ping/ (ceiling)"
L_PING_MIX = "GET /bench/ping/ (in the mix)"
L_SEARCH = "GET /thu-tuc/?q=<1–3 words, no diacritics>"
L_FILTERED = "GET /thu-tuc/?q=…&agency|field|level=…&page=…"
L_PROCEDURE = "GET /thu-tuc/<code>/"
L_MINE = "GET /ho-so/ (logged in, ~20 dossiers)"
L_START = "GET /ho-so/nop/<code>/ → draft"
L_STEP_GET = "GET wizard step 1–4"
L_STEP1 = "POST step 1 applicant"
L_STEP2 = "POST step 2 files (multipart PDF/JPEG)"
L_STEP3 = "POST step 3 delivery"
L_STEP4 = "POST step 4 submit → code"
L_AFTER = "GET /ho-so/<code>/ (after submit)"
L_IPN = f"GET /thanh-toan/vnpay/ipn/ ({DUPLICATES:.0%} duplicates)"
L_LOGIN = "POST /tai-khoan/dang-nhap/ (once per user)"
ORDER = [L_PING, L_PING_MIX, L_SEARCH, L_FILTERED, L_PROCEDURE, L_MINE, L_START, L_STEP_GET, L_STEP1, L_STEP2, L_STEP3,
         L_STEP4, L_AFTER, L_IPN, L_LOGIN]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CAPTCHA_KEY = re.compile(r'name="captcha_0"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="captcha_0"')
AGENCY = re.compile(r'<select name="agency"[^>]*>.*?<option value="(\d+)"', re.S)
FILE_INPUT = re.compile(r'name="files_(\d+)"[^>]*accept="([^"]*)"', re.S)


@functools.lru_cache(maxsize=None)
def small_pdf(slot: str = "") -> bytes:
    """A real one-page PDF of about 1 KB, its text naming `slot` (the portal refuses the same bytes twice in a dossier)."""
    body = b"BT /F1 18 Tf 72 720 Td (Don de nghi - thu tai %s) Tj ET" % slot.encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@functools.lru_cache(maxsize=None)
def small_jpeg(slot: str = "") -> bytes:
    """A real 320×240 JPEG photo of a paper (a gradient), about 5 KB, its comment naming `slot`."""
    from PIL import Image

    image = Image.new("RGB", (320, 240))
    image.putdata([(x % 256, y % 256, (x + y) % 256) for y in range(240) for x in range(320)])
    out = BytesIO()
    image.save(out, "JPEG", quality=70, comment=f"slot {slot}".encode())
    return out.getvalue()


def _csrf(page: bytes) -> str:
    match = CSRF.search(page.decode())
    if not match:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


class Portal:
    """The tasks of the mix, over the data the set-up made."""

    def __init__(self, sample: dict, ipn_queries: list[str]):
        self.sample = sample
        self.feed = DuplicatingFeed(ipn_queries, DUPLICATES)
        self.submitted: list[str] = []

    def search(self, s: Session, rng) -> None:
        params = {"q": rng.choice(self.sample["phrases"])}
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 3)
        s.get(L_SEARCH, "/thu-tuc/?" + urlencode(params))

    def search_filtered(self, s: Session, rng) -> None:
        params = {"q": rng.choice(self.sample["words"] + [""])}
        which = rng.choice(["agency", "field", "level", "agency+level"])
        if "agency" in which:
            params["agency"] = rng.choice(self.sample["agencies"])
        if which == "field":
            params["field"] = rng.choice(self.sample["fields"])
        if "level" in which:
            params["level"] = rng.choice(["3", "4"])
        params["page"] = rng.choice([1, 1, 2, 3])
        s.get(L_FILTERED, "/thu-tuc/?" + urlencode({k: v for k, v in params.items() if v}))

    def procedure(self, s: Session, rng) -> None:
        s.get(L_PROCEDURE, f"/thu-tuc/{rng.choice(self.sample['codes'])}/")

    def my_dossiers(self, s: Session, rng) -> None:
        roll = rng.random()
        query = "?page=2" if roll < 0.2 else "?status=10" if roll < 0.3 else ""
        s.get(L_MINE, "/ho-so/" + query)

    def submit(self, s: Session, rng) -> None:
        """The real wizard: draft, applicant, files, delivery (home delivery or counter), submit."""
        code = rng.choice(self.sample["submit_codes"])
        _, headers, _ = s.get(L_START, f"/ho-so/nop/{code}/", expect=(302,))
        step1 = headers["location"]
        base = step1.rsplit("buoc-", 1)[0]
        _, _, page = s.get(L_STEP_GET, step1)
        fields = [("csrfmiddlewaretoken", _csrf(page)), ("applicant_name", "Nguyễn Văn Thử"),
                  ("applicant_identity", "012345678901"), ("applicant_phone", "0905 123 456"),
                  ("applicant_email", "thu.tai@bench.example.vn"), ("applicant_address", "12 Lê Lợi"),
                  ("applicant_province_code", "51"), ("applicant_commune_code", "23293")]  # Quảng Ngãi, P. Kon Tum
        agency = AGENCY.search(page.decode())
        if agency:
            fields.append(("agency", agency.group(1)))
        s.post_form(L_STEP1, step1, fields, expect=(302,))
        _, _, page = s.get(L_STEP_GET, base + "buoc-2/")
        slots = FILE_INPUT.findall(page.decode())
        if not slots:
            raise ValueError("no file inputs on step 2")
        files = []
        for pk, accept in slots:
            if ".jpg" in accept and rng.random() < 0.5:
                files.append((f"files_{pk}", "anh-chup-giay-to.jpg", "image/jpeg", small_jpeg(pk)))
            else:
                files.append((f"files_{pk}", "don-de-nghi.pdf", "application/pdf", small_pdf(pk)))
        s.post_form(L_STEP2, base + "buoc-2/", [("csrfmiddlewaretoken", _csrf(page)), ("action", "next")],
                    files=files, expect=(302,))
        _, _, page = s.get(L_STEP_GET, base + "buoc-3/")
        home = rng.random() < 0.5
        s.post_form(L_STEP3, base + "buoc-3/", [
            ("csrfmiddlewaretoken", _csrf(page)), ("submit_method", "online"),
            ("result_method", "post" if home else "counter"),
            ("result_address", "12 Lê Lợi, phường Quyết Thắng, Kon Tum" if home else ""),
        ], expect=(302,))
        _, _, page = s.get(L_STEP_GET, base + "buoc-4/")
        key = CAPTCHA_KEY.search(page.decode())
        if not key:
            raise ValueError("no captcha on step 4")
        _, headers, _ = s.post_form(L_STEP4, base + "buoc-4/", [
            ("csrfmiddlewaretoken", _csrf(page)), ("confirm", "on"),
            ("captcha_0", unescape(key.group(1) or key.group(2))), ("captcha_1", "PASSED"),
        ], expect=(302,))
        location = headers["location"]
        match = re.fullmatch(r"/ho-so/([^/]+)/", location)
        if not match:
            raise ValueError(f"submit did not lead to a dossier: {location}")
        self.submitted.append(unquote(match.group(1)))
        s.get(L_AFTER, location)

    def ipn(self, s: Session, rng) -> None:
        query = self.feed.next(rng)

        def answered(status, headers, body):
            code = json.loads(body).get("RspCode")
            return None if code in ("00", "02") else f"RspCode {code}"

        s.get(L_IPN, f"/thanh-toan/vnpay/ipn/?{query}", anonymous=True, check=answered)

    def ping(self, s: Session, rng) -> None:
        s.get(L_PING_MIX, "/bench/ping/", anonymous=True)

    def tasks(self):
        return [(name, weight, getattr(self, name)) for name, weight in WEIGHTS.items()]


def log_in(sessions: list[Session], emails: list[str], password: str) -> None:
    for session, email in zip(sessions, emails):
        _, _, page = session.get(L_LOGIN.replace("POST", "GET"), "/tai-khoan/dang-nhap/")
        session.post_form(L_LOGIN, "/tai-khoan/dang-nhap/", [
            ("csrfmiddlewaretoken", _csrf(page)), ("username", email), ("password", password),
        ], expect=(302,))
        if "sessionid" not in session.cookies:
            raise RuntimeError(f"{email} is not logged in")


def _flush(url: str) -> None:
    """Empty this benchmark's own Redis database (never anyone else's)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def main() -> int:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    for url in (BROKER, CACHE):
        _flush(url)
    (VAR / "static").mkdir()
    stack = Stack("mix", workers=WORKERS, extra_env={
        "CELERY_BROKER_URL": BROKER, "CACHE_URL": CACHE, "PAYMENT_SANDBOX": "1", "CAPTCHA_TEST_MODE": "1",
        "PORTAL_VAR_DIR": str(VAR),
    })
    stack.env["SITE_URL"] = stack.base
    started = time.monotonic()
    stack.create_database()
    stack.manage("generate_procedures", str(PROCEDURES), "--seed", "7")
    data = stack.shell_json(
        "import json, fixtures\nprint(json.dumps(fixtures.citizens_with_dossiers("
        f"citizens={CITIZENS}, per_citizen={PER_CITIZEN}, payments={PAYMENTS})))"
    )
    sample = stack.shell_json("import json, fixtures\nprint(json.dumps(fixtures.catalogue_sample()))")
    setup_seconds = time.monotonic() - started
    worker = WorkerProcess(env=stack.env, log_path=VAR / "worker.log", concurrency=1)
    worker.start()
    portal = Portal(sample, data["ipn_queries"])
    keep = os.environ.get("BENCH_KEEP") == "1"
    try:
        stack.start()
        logins = Recorder()
        sessions = [Session(stack.base, logins) for _ in range(CONCURRENCY)]
        login_started = time.monotonic()
        log_in(sessions, data["citizens"][:CONCURRENCY], data["password"])
        logins.seconds = time.monotonic() - login_started
        warm = Recorder()
        for session in sessions:
            session.recorder = warm
        run_mix(portal.tasks(), sessions, duration=4 if QUICK else 10, recorder=warm)
        ceiling_run = Recorder()
        for session in sessions:
            session.recorder = ceiling_run
        run_mix([("ping", 1, lambda s, rng: s.get(L_PING, "/bench/ping/", anonymous=True))], sessions,
                duration=CEILING_SECONDS, recorder=ceiling_run)
        mix = Recorder()
        for session in sessions:
            session.recorder = mix
        run_mix(portal.tasks(), sessions, duration=DURATION, recorder=mix)
        load_average = [round(x, 2) for x in os.getloadavg()]
        sent_refs = [re.search(r"vnp_TxnRef=([^&]+)", q).group(1) for q in portal.feed.sent]
        checks_code = (
            "import json, fixtures\n"
            f"print(json.dumps(fixtures.integrity(submitted_codes={portal.submitted!r}, ipn_references={sent_refs!r})))"
        )
        checks = stack.shell_json(checks_code)
        deadline = time.monotonic() + 60
        while checks["emails_pending"] and time.monotonic() < deadline:  # the worker drains the outbox
            time.sleep(2)
            checks = stack.shell_json(checks_code)
    finally:
        stack.stop(drop=not keep)
        worker.stop()
        for url in (BROKER, CACHE):
            _flush(url)
    return report(stack, ceiling_run, mix, warm, logins, checks, setup_seconds, load_average,
                  time.monotonic() - started)


def problems_in(checks: dict, errors: int) -> list[str]:
    found = []
    if errors:
        found.append(f"{errors} requests failed")
    if not checks["submissions_answered"] or not checks["ipn_payments_sent"]:
        found.append("the mix made no submission or sent no IPN: nothing was checked")
    if not (checks["submissions_answered"] == checks["submission_codes_distinct"] == checks["dossiers_found"]
            == checks["dossiers_found_submitted"] == checks["submit_events"]):
        found.append("a submission is missing, duplicated or not submitted")
    if checks["duplicate_codes_in_database"] or checks["dossiers_without_files"]:
        found.append("duplicate dossier codes or dossiers without files")
    if not (checks["ipn_payments_sent"] == checks["ipn_payments_paid"] == checks["payments_paid_total"]
            == checks["accepted_callbacks"] == checks["mark_paid_events"]) or checks["accepted_callbacks_per_payment_max"] > 1:
        found.append("a payment was not paid exactly once")
    if checks["emails_pending"] or checks["emails_failed"]:
        found.append("e-mails left unsent")
    return found


def report(stack, ceiling_run, mix, warm, logins, checks, setup_seconds, load_average, total_seconds) -> int:
    ceiling = ceiling_run.results()[0]
    ceiling_mean = mean_ms(ceiling_run, L_PING)
    results = [ceiling] + mix.results(ORDER)
    total = mix.total("all requests of the mix")
    records = []
    for result in results + [total]:
        record = {**result.__dict__}
        record["ratio_rps_to_ceiling"] = round(result.rps / ceiling.rps, 3) if ceiling.rps else None
        record["ratio_p95_to_ceiling"] = round(result.p95_ms / ceiling.p95_ms, 1) if ceiling.p95_ms else None
        own = ceiling_mean if result is ceiling else mean_ms(mix, result.endpoint) if result is not total else None
        record["ratio_alone_to_ceiling"] = round(ceiling_mean / own, 3) if own else None
        record["mean_ms"] = round(own, 1) if own else None
        in_mix = mean_ms(mix, L_PING_MIX)
        record["mean_to_ping_in_mix"] = round(own / in_mix, 1) if own and in_mix and result is not ceiling else None
        records.append(record)
    login = logins.results(ORDER)
    records += [{**r.__dict__, "ratio_rps_to_ceiling": None, "ratio_p95_to_ceiling": None, "ratio_alone_to_ceiling": None,
                 "mean_ms": None, "mean_to_ping_in_mix": None} for r in login if r.endpoint == L_LOGIN]
    errors = total.errors + warm.total().errors + sum(r.errors for r in login)
    problems = problems_in(checks, errors)
    c = checks
    notes = "\n".join([
        f"Integrity after the run (warm-up included): {c['submissions_answered']} submissions answered with "
        f"{c['submission_codes_distinct']} distinct codes; {c['dossiers_found']} dossiers found with those codes, "
        f"{c['dossiers_found_submitted']} of them submitted by a bench citizen, {c['submit_events']} submit events, "
        f"{c['files_stored']} files stored, {c['dossiers_without_files']} without files; "
        f"{c['duplicate_codes_in_database']} duplicate codes in the whole table. "
        f"{c['ipn_payments_sent']} payments received an IPN: {c['ipn_payments_paid']} paid "
        f"({c['payments_paid_total']} paid in all), {c['accepted_callbacks']} accepted callbacks "
        f"(at most {c['accepted_callbacks_per_payment_max']} per payment), {c['mark_paid_events']} mark-paid events, "
        f"{c['callbacks_stored']} callbacks stored. E-mails: {c['emails_sent']} sent by the worker, "
        f"{c['emails_pending']} pending, {c['emails_failed']} failed.",
        "",
        "Verdict: " + ("everything held." if not problems else "FAILED — " + "; ".join(problems) + "."),
        "",
        "Columns: req/s is the endpoint's share of the mix; req/s ÷ ceiling compares it with /bench/ping/ driven by "
        "the same users and generator; \"alone ÷ ceiling\" = ceiling's mean latency ÷ the endpoint's mean latency "
        "in the mix, i.e. the share of the ceiling the endpoint would reach if every user asked only for it "
        "(independent of the weights); p95 ÷ ceiling likewise for the 95th percentile. The ceiling is a separate "
        "phase, so on a machine shared with other work it may meet a quieter or a busier moment than the mix: "
        "\"mean ÷ ping in mix\" divides the endpoint's mean latency by that of /bench/ping/ requested inside the "
        "same mix (5 % of the tasks), which suffers the same contention at the same moments; it is the figure to "
        "compare between runs.",
        "",
        "Load generator: bench/harness.py (run_mix), not locust: one thread per virtual user with its own cookies, "
        "every request timed and kept, so p50/p95/p99 are exact order statistics per endpoint (locust rounds "
        "response times into buckets and, on this 2-core machine, would be one more Python process with its own "
        "gevent loop competing with the server in the same way); no extra package to install in CI; and the "
        "ceiling is measured by the very same code. A new connection per request, as gunicorn's sync workers "
        "close them anyway. The generator shares the 2 CPUs with gunicorn, PostgreSQL, Redis and the worker, so "
        "absolute figures are the machine's, not the portal's: the ratios are what to compare.",
    ])
    setup = {
        "mode": "quick (CI)" if QUICK else "full",
        "procedures": PROCEDURES, "citizens": CITIZENS, "dossiers_per_citizen": PER_CITIZEN,
        "pending_payments": PAYMENTS, "virtual_users": CONCURRENCY, "mix_seconds": DURATION,
        "ceiling_seconds": CEILING_SECONDS, "weights": WEIGHTS, "gunicorn_workers": stack.workers,
        "celery_worker": "1 process (prefork), Redis broker", "cache": "Redis", "email": "files (worker)",
        "setup_seconds": round(setup_seconds), "total_seconds": round(total_seconds),
        "load_average_after_run": load_average,
    }
    path = write_table(
        NAME, setup=setup, records=records,
        header=["endpoint", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "req/s ÷ ceiling",
                "alone ÷ ceiling", "p95 ÷ ceiling", "mean ms", "mean ÷ ping in mix"],
        fields=["endpoint", "requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms", "ratio_rps_to_ceiling",
                "ratio_alone_to_ceiling", "ratio_p95_to_ceiling", "mean_ms", "mean_to_ping_in_mix"],
        notes=notes, out_dir=OUT,
    )
    payload = json.loads(path.with_suffix(".json").read_text())
    payload["integrity"] = checks
    payload["problems"] = problems
    path.with_suffix(".json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    print(path.read_text())
    for result in results + login:
        for sample in result.error_samples:
            print(f"error sample [{result.endpoint}]: {sample}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
