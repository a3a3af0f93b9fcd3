"""The mixed load of the cluster test: citizens browsing, searching, submitting dossiers with files, and the
bank's IPNs, through the balancer — with what each client saw, time-stamped, so that the phases (a node
killed, a worker killed, Redis restarted, a rolling restart) can be told apart afterwards.

Public reads (anonymous GETs) are never retried by the client: a failure there is one a citizen saw, and the
balancer is the one that must retry them. A submission is retried as a browser user would, by sending the same
form again (with its idempotency key, when the form carries one) after a dropped connection, a 5xx or a 409.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
from collections import Counter
import time
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlencode

from harness import encode_multipart, request_full
from mix import AGENCY, CAPTCHA_KEY, FILE_INPUT, DuplicatingFeed, small_jpeg, small_pdf

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY_KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="idempotency_key"')
RETRY_STATUSES = {0, 409, 500, 502, 503, 504}
ATTEMPTS = 8
# How long a citizen keeps sending a form answered 409: longer than the portal takes to free a key whose request
# died with its node (IDEMPOTENCY_RUNNING_SECONDS, set for the cluster test in bench/cluster.py).
PATIENCE = 90.0
TIMEOUT = 30.0  # a request unanswered this long counts as a hang

PUBLIC, PRIVATE, SUBMISSION, IPN = "public read", "logged-in read", "submission", "ipn"
IPN_ATTEMPTS = 5  # the gateway's own retries of an unanswered IPN (VNPay retries for hours; 5 fit a phase)


@dataclass
class Event:
    at: float  # seconds since the load started, when the request or (a submission) the whole wizard ended
    kind: str  # PUBLIC, PRIVATE, IPN: one request; SUBMISSION: one whole wizard, retries included
    label: str
    outcome: str  # "ok", or what the client saw: "502", "ConnectionResetError", "hang", …
    refusals: list[str] = field(default_factory=list)  # submissions: the answers retried through
    code: str = ""
    seconds: float = 0.0  # submissions: the whole wizard, retries included


class EventLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.events: list[Event] = []
        self.requests: list[tuple[float, str]] = []  # (at, outcome) of every HTTP request sent
        self.keyed = Counter()  # forms sent with the idempotency key their page carried, by path's kind
        self.started = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.started

    def add(self, event: Event) -> None:
        with self.lock:
            self.events.append(event)

    def sent(self, outcome: str) -> None:
        with self.lock:
            self.requests.append((self.now(), outcome))


class Refused(Exception):
    """The portal's answer was not the expected one, even after the retries."""


class Citizen:
    """One virtual user behind the balancer, with its own cookies."""

    def __init__(self, base: str, log: EventLog):
        self.base = base
        self.log = log
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, *, body=None, headers=None, anonymous=False):
        """One request; (status, headers, body), status 0 when no HTTP answer came (the error's name in body)."""
        headers = dict(headers or {})
        if self.cookies and not anonymous:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            status, raw, content = request_full(method, self.base + path, body, {**headers, "Connection": "close"})
        except TimeoutError:
            self.log.sent("hang")
            return 0, {}, b"hang"
        except (OSError, http.client.HTTPException) as exc:  # a connection cut mid-answer too (IncompleteRead)
            self.log.sent(type(exc).__name__)
            return 0, {}, type(exc).__name__.encode()
        self.log.sent(str(status))
        if not anonymous:
            for name, value in raw:
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
        return status, {k.lower(): v for k, v in raw}, content

    def retrying(self, method: str, path: str, refusals: list[str], *, expect=(200, 302), **kwargs):
        """Send until an expected answer, the same request each time; every other answer noted in `refusals`.

        A 409 (the first sending with this idempotency key still running, or its node died holding the key) is
        sent again after its Retry-After for as long as PATIENCE; other answers ATTEMPTS times with a backoff."""
        deadline, attempt = time.monotonic() + PATIENCE, 0
        while True:
            status, headers, content = self.send(method, path, **kwargs)
            if status in expect:
                return status, headers, content
            outcome = str(status) if status else content.decode()
            refusals.append(outcome)
            if status not in RETRY_STATUSES:
                raise Refused(f"{outcome} {method} {path}")
            attempt += status != 409
            if attempt >= ATTEMPTS or time.monotonic() > deadline:
                raise Refused(f"{outcome} {method} {path}, given up after {len(refusals)} answers")
            wait = float(headers.get("retry-after") or 1) if status == 409 else min(0.25 * 2 ** attempt, 4.0)
            time.sleep(wait)

    def post_form(self, path: str, page: bytes, fields: list, refusals: list[str], *, files=(), expect=(302,)):
        """POST the form of `page` (its CSRF token, and its idempotency key when it has one), retried."""
        text = page.decode()
        fields = [("csrfmiddlewaretoken", _one(CSRF, text, "CSRF token")), *fields]
        key = IDEMPOTENCY_KEY.search(text)
        headers = {}
        if key:
            fields.append(("idempotency_key", unescape(key.group(1) or key.group(2))))
            headers["Idempotency-Key"] = fields[-1][1]
            with self.log.lock:
                self.log.keyed[re.sub(r"[0-9a-f-]{36}|/nop/[^/]+", "…", path)] += 1
        if files:
            body, content_type = encode_multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers.update({"Content-Type": content_type, "Content-Length": str(len(body))})
        return self.retrying("POST", path, refusals, body=body, headers=headers, expect=expect)


def _one(pattern: re.Pattern, text: str, what: str) -> str:
    match = pattern.search(text)
    if not match:
        raise Refused(f"no {what} on the page")
    return next(group for group in match.groups() if group)


class Load:
    """The tasks of the load, their weights, and the threads that run them until stopped."""

    WEIGHTS = {"home": 10, "search": 30, "procedure": 25, "my_dossiers": 12, "submit": 13, "ipn": 10}

    def __init__(self, *, sample: dict, ipn_queries: list[str], log: EventLog):
        self.sample = sample
        self.feed = DuplicatingFeed(ipn_queries, 0.3)
        self.log = log
        self.stop = threading.Event()

    def read(self, c: Citizen, kind: str, label: str, path: str, *, anonymous: bool) -> None:
        status, _, content = c.send("GET", path, anonymous=anonymous)
        outcome = "ok" if status == 200 else (str(status) if status else content.decode())
        self.log.add(Event(self.log.now(), kind, label, outcome))

    def home(self, c, rng):
        self.read(c, PUBLIC, "GET /", "/", anonymous=True)

    def search(self, c, rng):
        self.read(c, PUBLIC, "GET /thu-tuc/?q=…", "/thu-tuc/?" + urlencode({"q": rng.choice(self.sample["phrases"])}),
                  anonymous=True)

    def procedure(self, c, rng):
        self.read(c, PUBLIC, "GET /thu-tuc/<code>/", f"/thu-tuc/{rng.choice(self.sample['codes'])}/", anonymous=True)

    def my_dossiers(self, c, rng):
        self.read(c, PRIVATE, "GET /ho-so/", "/ho-so/", anonymous=False)

    def ipn(self, c, rng):
        """As the bank does, an IPN that got no answer (the connection cut, a node gone, a 5xx) is sent again."""
        query = self.feed.next(rng)
        for attempt in range(IPN_ATTEMPTS):
            status, _, content = c.send("GET", f"/thanh-toan/vnpay/ipn/?{query}", anonymous=True)
            if 0 < status < 500:
                break
            time.sleep(0.5 * (attempt + 1))
        answered = status == 200 and json.loads(content).get("RspCode") in ("00", "02")
        outcome = "ok" if answered else (str(status) if status else content.decode())
        self.log.add(Event(self.log.now(), IPN, "GET /thanh-toan/vnpay/ipn/", outcome))

    def submit(self, c, rng):
        refusals, started = [], self.log.now()
        try:
            code = self._wizard(c, rng, refusals)
        except Refused as exc:
            self.log.add(Event(self.log.now(), SUBMISSION, "wizard", f"failed: {exc}", refusals))
        else:
            self.log.add(Event(self.log.now(), SUBMISSION, "wizard", "ok", refusals, code, self.log.now() - started))

    def _wizard(self, c: Citizen, rng, refusals: list[str]) -> str:
        """The four steps; each request sent again as it was after a dropped connection, a 5xx or a 409."""
        procedure = rng.choice(self.sample["submit_codes"])
        status, headers, page = c.retrying("GET", f"/ho-so/nop/{procedure}/", refusals)
        if status == 200:  # a form that starts the draft (the idempotency contract): sent once, with its key
            status, headers, page = c.post_form(f"/ho-so/nop/{procedure}/", page, [], refusals)
        base = headers["location"].rsplit("buoc-", 1)[0]
        page = self._get_step(c, base, 1, refusals)
        fields = [("applicant_name", "Nguyễn Văn Thử"), ("applicant_identity", "012345678901"),
                  ("applicant_phone", "0905 123 456"), ("applicant_email", "thu.tai@cluster.example.vn"),
                  ("applicant_address", "12 Lê Lợi"), ("applicant_province_code", "51"),
                  ("applicant_commune_code", "23293")]
        agency = AGENCY.search(page.decode())
        self._post_step(c, base, 1, page, fields + ([("agency", agency.group(1))] if agency else []), refusals)
        page = self._get_step(c, base, 2, refusals)
        files = [(f"files_{pk}", "anh.jpg", "image/jpeg", small_jpeg(pk)) if ".jpg" in accept and rng.random() < 0.5
                 else (f"files_{pk}", "don.pdf", "application/pdf", small_pdf(pk))
                 for pk, accept in FILE_INPUT.findall(page.decode())]
        self._post_step(c, base, 2, page, [("action", "next")], refusals, files=files)
        page = self._get_step(c, base, 3, refusals)
        self._post_step(c, base, 3, page, [("submit_method", "online"), ("result_method", "counter"),
                                           ("result_address", "")], refusals)
        page = self._get_step(c, base, 4, refusals)
        captcha = _one(CAPTCHA_KEY, page.decode(), "captcha")
        _, headers, _ = c.post_form(base + "buoc-4/", page, [("confirm", "on"), ("captcha_0", unescape(captcha)),
                                                             ("captcha_1", "PASSED")], refusals)
        match = re.fullmatch(r"/ho-so/([^/]+)/", headers.get("location", ""))
        if not match:
            raise Refused(f"the submission led to {headers.get('location')!r}, not to a dossier")
        return unquote(match.group(1))

    @staticmethod
    def _get_step(c: Citizen, base: str, step: int, refusals: list[str]) -> bytes:
        status, headers, page = c.retrying("GET", f"{base}buoc-{step}/", refusals, expect=(200,))
        return page

    @staticmethod
    def _post_step(c, base, step, page, fields, refusals, files=()):
        """POST a step; a step sent again after its first sending was saved may be refused as a repeat (step 2:
        "the same file twice", 400): the draft holds the files already, so "Tiếp tục" again, without them."""
        before = len(refusals)
        status, _, _ = c.post_form(f"{base}buoc-{step}/", page, fields, refusals, files=files, expect=(302, 200, 400))
        if status == 302:
            return
        if len(refusals) == before:
            raise Refused(f"{status} POST {base}buoc-{step}/ (a first sending refused)")
        refusals.append(str(status))
        page = Load._get_step(c, base, step, refusals)
        c.post_form(f"{base}buoc-{step}/", page, fields, refusals)

    def run(self, citizens: list[Citizen]) -> list[threading.Thread]:
        names, weights = list(self.WEIGHTS), list(self.WEIGHTS.values())

        def user(index: int, citizen: Citizen) -> None:
            rng = random.Random(2000 + index)
            while not self.stop.is_set():
                name = rng.choices(names, weights)[0]
                try:
                    getattr(self, name)(citizen, rng)
                except Exception as exc:  # noqa: BLE001 - a broken page is counted, never passes silently
                    self.log.add(Event(self.log.now(), "task", name, f"failed: {type(exc).__name__}: {exc}"[:300]))

        threads = [threading.Thread(target=user, args=(n, c), daemon=True) for n, c in enumerate(citizens)]
        for thread in threads:
            thread.start()
        return threads


def log_in(citizens: list[Citizen], emails: list[str], password: str) -> None:
    for citizen, email in zip(citizens, emails):
        refusals: list[str] = []
        _, _, page = citizen.retrying("GET", "/tai-khoan/dang-nhap/", refusals, expect=(200,))
        citizen.post_form("/tai-khoan/dang-nhap/", page, [("username", email), ("password", password)], refusals)
        if "sessionid" not in citizen.cookies:
            raise RuntimeError(f"{email} is not logged in")
