"""A small benchmark harness: the real stack (gunicorn + PostgreSQL) on loopback and a closed-loop
load generator, reporting each endpoint as a ratio to the stack's own ceiling (a minimal view).

Nothing here asserts a time: the numbers are measured, written to bench/results/, and committed.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from production_env import production_secrets

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "platform": platform.platform(),
    }


class Stack:
    """PostgreSQL database + migrations + gunicorn, started for one benchmark and removed after."""

    def __init__(self, name: str, *, workers: int = 3, threads: int = 1, extra_env: dict | None = None,
                 db_prefix: str = "portal_bench", db_name: str = "", port: int | None = None):
        # BENCH_DB_PREFIX / BENCH_PORT: a shared machine's engineer keeps to the names and ports given to them.
        self.db_name = db_name or f"{os.environ.get('BENCH_DB_PREFIX', db_prefix)}_{name}"
        self.port = port or int(os.environ.get("BENCH_PORT") or free_port())
        self.workers = workers
        self.threads = threads
        self.env = production_secrets({
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.db_name}",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DJANGO_CONN_MAX_AGE": "60",
            "DJANGO_LOG_LEVEL": "WARNING",
            "BENCH_ENDPOINTS": "1",
            "PORTAL_VAR_DIR": str(ROOT / "var" / "bench"),
            **(extra_env or {}),
        })
        self.server = None
        self.base = f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell_json(self, code: str):
        """Run `code` in `manage.py shell` (bench/ importable) and parse the JSON its last printed line holds."""
        prelude = f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
        return json.loads(self.manage("shell", "-c", prelude + code).strip().splitlines()[-1])

    def create_database(self) -> None:
        for sql in (f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)", f"CREATE DATABASE {self.db_name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        self.manage("migrate", "--noinput", "-v0")

    def connections(self) -> int:
        """The connections PostgreSQL holds open to this stack's database now."""
        sql = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{self.db_name}'"
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql], capture_output=True, text=True)
        return int(out.stdout.strip() or 0)

    def start(self) -> None:
        self.server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--threads", str(self.threads), "--log-level", "warning"],
            cwd=ROOT, env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request("GET", self.base + "/bench/ping/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self, drop: bool = True) -> None:
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)
        if drop:
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)"],
                check=False,
            )


def request(method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    status, _, content = request_full(method, url, body, headers)
    return status, content


def request_full(
    method: str, url: str, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request on a new connection (gunicorn's sync workers close it anyway): status, headers, body."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


WRK_LUA = Path(__file__).resolve().parent / "wrk" / "paths.lua"


def run_wrk(base: str, lines: list[str], seconds: int, name: str, *, paths_dir: Path, connections: int = 8) -> dict:
    """wrk -t2 for `seconds` on the lines "<path>\\t<cookie>" (bench/wrk/paths.lua picks one per request):
    requests, errors, req/s, p50/p99/mean ms."""
    paths = paths_dir / f"{name}.paths"
    paths.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(WRK_LUA), base],
        env={**os.environ, "WRK_PATHS": str(paths)}, capture_output=True, text=True, check=True,
    ).stdout
    data = json.loads(next(line for line in out.splitlines() if line.startswith("JSON "))[5:])
    seconds_run = data["duration_us"] / 1e6
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {"requests": data["requests"], "errors": errors, "rps": round(data["requests"] / seconds_run, 1),
            "p50_ms": round(data["p50_us"] / 1000, 1), "p99_ms": round(data["p99_us"] / 1000, 1),
            "mean_ms": round(data["mean_us"] / 1000, 1), "error_detail": {k: data[k] for k in (
                "connect", "read", "write", "status", "timeout") if data[k]}}


@dataclass
class Result:
    endpoint: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    ratio_rps_to_ceiling: float | None = None
    ratio_p95_to_ceiling: float | None = None
    error_samples: list = field(default_factory=list)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def run_load(
    endpoint: str,
    make_request: Callable[[random.Random], tuple[str, str, bytes | None, dict]],
    *,
    base: str,
    concurrency: int,
    duration: float,
    ok: Callable[[int], bool] = lambda status: 200 <= status < 400,
    max_requests: int = 200_000,
) -> Result:
    """Closed loop: `concurrency` clients send requests back to back for `duration` seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    count = [0]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            with lock:
                if count[0] >= max_requests:
                    return
                count[0] += 1
            method, path, body, headers = make_request(rng)
            started = time.perf_counter()
            try:
                status, _ = request(method, base + path, body, headers)
                good = ok(status)
                detail = f"{status} {path}"
            except OSError as exc:
                good, detail = False, f"{type(exc).__name__} {path}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not good:
                    errors.append(detail)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    return Result(
        endpoint=endpoint,
        requests=len(latencies),
        errors=len(errors),
        seconds=round(seconds, 2),
        rps=round(len(latencies) / seconds, 1),
        p50_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
        p95_ms=round(percentile(latencies, 95), 1),
        p99_ms=round(percentile(latencies, 99), 1),
        error_samples=errors[:5],
    )


def with_ratios(results: list[Result], ceiling: Result) -> list[Result]:
    for result in results:
        result.ratio_rps_to_ceiling = round(result.rps / ceiling.rps, 3) if ceiling.rps else None
        result.ratio_p95_to_ceiling = round(result.p95_ms / ceiling.p95_ms, 2) if ceiling.p95_ms else None
    return results


def write_results(name: str, *, results: list[Result], setup: dict, notes: str = "", out_dir: Path | None = None) -> Path:
    return write_table(
        name,
        setup=setup,
        records=[asdict(r) for r in results],
        header=["endpoint", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "req/s ÷ ceiling", "p95 ÷ ceiling"],
        fields=["endpoint", "requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms", "ratio_rps_to_ceiling",
                "ratio_p95_to_ceiling"],
        notes=notes,
        out_dir=out_dir,
    )


def write_table(
    name: str, *, setup: dict, records: list[dict], header: list[str], fields: list[str], notes: str = "",
    out_dir: Path | None = None,
) -> Path:
    """Write <out_dir>/<name>.json (everything) and <name>.md (one table row per record); bench/results/ by default."""
    out_dir = out_dir or RESULTS
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "setup": setup,
        "results": records,
        "notes": notes,
    }
    (out_dir / f"{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    lines = [
        f"# Benchmark: {name}",
        "",
        f"{payload['date']} — {payload['machine']['cpus']} CPUs ({payload['machine']['cpu_model']}), "
        f"{payload['machine']['memory_gib']} GiB, Python {payload['machine']['python']}, {payload['machine']['postgresql']}",
        "",
        "Setup: " + ", ".join(f"{k}={v}" for k, v in setup.items()),
        "",
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    for record in records:
        lines.append("| " + " | ".join(str(record[f]) for f in fields) + " |")
    if notes:
        lines += ["", notes]
    path = out_dir / f"{name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


# --- A weighted mix of tasks by virtual users with their own sessions (bench/mix.py) ---


class TaskFailed(Exception):
    """A request of a task got an unexpected answer: it is counted as an error and the task stops there."""


class Recorder:
    """Latencies and errors per endpoint label, from every virtual user's thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}
        self.started = time.monotonic()
        self.seconds = 0.0

    def add(self, label: str, elapsed_ms: float, error: str | None) -> None:
        with self.lock:
            self.latencies.setdefault(label, []).append(elapsed_ms)
            self.errors.setdefault(label, [])
            if error:
                self.errors[label].append(error)

    def results(self, order: list[str] | None = None) -> list[Result]:
        labels = sorted(self.latencies, key=lambda label: (order.index(label) if order and label in order else 999, label))
        out = []
        for label in labels:
            values = self.latencies[label]
            out.append(Result(
                endpoint=label,
                requests=len(values),
                errors=len(self.errors[label]),
                seconds=round(self.seconds, 2),
                rps=round(len(values) / self.seconds, 1) if self.seconds else 0.0,
                p50_ms=round(statistics.median(values), 1),
                p95_ms=round(percentile(values, 95), 1),
                p99_ms=round(percentile(values, 99), 1),
                error_samples=self.errors[label][:5],
            ))
        return out

    def total(self, label: str = "all requests") -> Result:
        everything = [v for values in self.latencies.values() for v in values]
        errors = [e for values in self.errors.values() for e in values]
        return Result(
            endpoint=label, requests=len(everything), errors=len(errors), seconds=round(self.seconds, 2),
            rps=round(len(everything) / self.seconds, 1) if self.seconds else 0.0,
            p50_ms=round(statistics.median(everything), 1) if everything else 0.0,
            p95_ms=round(percentile(everything, 95), 1), p99_ms=round(percentile(everything, 99), 1),
            error_samples=errors[:5],
        )


def mean_ms(recorder: Recorder, label: str) -> float:
    values = recorder.latencies.get(label) or [0.0]
    return statistics.fmean(values)


class Session:
    """One virtual user: its own cookies (Django's session and CSRF cookies), like a browser."""

    def __init__(self, base: str, recorder: Recorder):
        self.base = base
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def request(
        self, label: str, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
        expect: tuple[int, ...] = (200,), anonymous: bool = False, check: Callable | None = None,
    ) -> tuple[int, dict, bytes]:
        """Send one timed request; raise TaskFailed (after counting the error) on an unexpected status, or
        when `check(status, headers, body)` names what is wrong with the answer."""
        headers = dict(headers or {})
        if self.cookies and not anonymous:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        error = None
        try:
            status, raw_headers, content = request_full(method, self.base + path, body, headers)
        except OSError as exc:
            status, raw_headers, content = 0, [], b""
            error = f"{type(exc).__name__} {method} {path}"
        elapsed = (time.perf_counter() - started) * 1000
        if error is None and status not in expect:
            error = f"{status} {method} {path}"
        if error is None and check is not None:
            try:
                wrong = check(status, raw_headers, content)
            except ValueError as exc:
                wrong = f"{type(exc).__name__}: {exc}"
            error = f"{wrong} {method} {path}" if wrong else None
        self.recorder.add(label, elapsed, error)
        if error:
            raise TaskFailed(error)
        if not anonymous:
            for name, value in raw_headers:
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
        return status, {k.lower(): v for k, v in raw_headers}, content

    def get(self, label: str, path: str, **kwargs):
        return self.request(label, "GET", path, **kwargs)

    def post_form(self, label: str, path: str, fields: list[tuple[str, str]], *, files=(), **kwargs):
        """POST a form as a browser does: urlencoded, or multipart when files are attached."""
        if files:
            body, content_type = encode_multipart(fields, files)
        else:
            from urllib.parse import urlencode

            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        return self.request(label, "POST", path, body=body, headers=headers, **kwargs)


def encode_multipart(fields: list[tuple[str, str]], files) -> tuple[bytes, str]:
    """multipart/form-data for `fields` and `files` given as (field name, file name, content type, bytes)."""
    boundary = "----bench" + "".join(random.choice("0123456789abcdef") for _ in range(24))
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content_type, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def run_mix(
    tasks: list[tuple[str, float, Callable[[Session, random.Random], None]]],
    sessions: list[Session],
    *,
    duration: float,
    recorder: Recorder,
) -> Recorder:
    """Closed loop: each session (one thread) picks a task by weight and runs it, back to back, for `duration` s.

    A task may send several requests (a wizard); each is timed under its own label. A task stopped by an
    unexpected answer (TaskFailed) has already counted its error; any other exception is counted under
    "task <name>" so that a broken page can never pass silently.
    """
    names = [t[0] for t in tasks]
    weights = [t[1] for t in tasks]
    functions = {t[0]: t[2] for t in tasks}
    stop_at = time.monotonic() + duration

    def user(index: int, session: Session) -> None:
        rng = random.Random(1000 + index)
        while time.monotonic() < stop_at:
            name = rng.choices(names, weights)[0]
            try:
                functions[name](session, rng)
            except TaskFailed:
                continue
            except Exception as exc:  # noqa: BLE001 - counted, shown in the results
                recorder.add(f"task {name}", 0.0, f"{type(exc).__name__}: {exc}"[:300])

    threads = [threading.Thread(target=user, args=(n, s)) for n, s in enumerate(sessions)]
    recorder.started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorder.seconds = time.monotonic() - recorder.started
    return recorder


class DuplicatingFeed:
    """Signed callbacks to send: fresh ones in turn, and with probability `duplicates` one already sent."""

    def __init__(self, items: list[str], duplicates: float):
        self.fresh = iter(items)
        self.sent: list[str] = []
        self.duplicates = duplicates
        self.lock = threading.Lock()

    def next(self, rng: random.Random) -> str:
        with self.lock:
            if self.sent and rng.random() < self.duplicates:
                return rng.choice(self.sent)
            item = next(self.fresh, None)
            if item is None:  # all sent: only duplicates from now on
                return rng.choice(self.sent)
            self.sent.append(item)
            return item
