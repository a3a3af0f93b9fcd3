"""A real Celery worker process for integration tests."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import die_with_parent

ROOT = Path(__file__).resolve().parents[2]


def worker_env(*, broker_url: str, smtp_port: int, **extra: str) -> dict:
    """Environment for a worker on the test database, `broker_url` and the SMTP sink on `smtp_port`."""
    from django.conf import settings

    from tests.conftest import test_database_env

    env = test_database_env()
    env.update(
        {
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "DJANGO_MEDIA_ROOT": settings.MEDIA_ROOT,
            **extra,
        }
    )
    return env


class WorkerProcess:
    """One `celery worker` in its own process group; start() may be called again after stop() or kill()."""

    def __init__(self, *, env: dict, log_path: Path, concurrency: int = 2):
        self.env = env
        self.log_path = log_path
        self.concurrency = concurrency
        self.proc = None
        self.log = None

    name = "celery worker"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork",
                f"--concurrency={self.concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                "--without-heartbeat"]

    def ready(self, output: bytes) -> bool:
        """Whether the process, having written `output` since it started, is ready for the test."""
        return b"ready." in output

    def start(self, timeout: float = 60.0):
        assert not self.running, f"{self.name} already running"
        self._close_log()
        self.log = open(self.log_path, "ab")
        # A restarted process appends to the same log: only what it writes from here counts as "ready".
        offset = self.log.tell()
        self.proc = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.output()[-3000:]}")
            if self.ready(self._output_bytes()[offset:]):
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} not ready in {timeout}s: {self.output()[-3000:]}")

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def _output_bytes(self) -> bytes:
        try:
            return self.log_path.read_bytes()
        except FileNotFoundError:
            return b""

    def kill(self):
        """Kill the worker and its pool processes at once (SIGKILL), as a crash would."""
        if self.running:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.running:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._close_log()

    def _close_log(self):
        if self.log is not None:
            self.log.close()
            self.log = None


@contextmanager
def tasks_published_to(broker_url: str):
    """Make this process publish tasks to `broker_url` for a worker, instead of running them itself."""
    from portal.celery import app

    def forget_connections():
        # Earlier in-process tasks may have built a connection and producer pool for another broker. Not app.close():
        # it also takes the app off Celery's active apps, and a tasks module imported after that (shared_task) was
        # never registered on it (the beat-schedule test then failed when it ran after a worker test).
        app._pool = None
        app.amqp._producer_pool = None

    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    forget_connections()
    app.conf.update(task_always_eager=False, broker_url=broker_url)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=3)
        yield app
    finally:
        forget_connections()
        app.conf.update(**saved)
