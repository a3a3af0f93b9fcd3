"""A private redis-server on a loopback port, that a test may stop and start again on the same port."""

import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.support.processes import die_with_parent

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    """`redis-server --port N --bind 127.0.0.1 --save "" --appendonly no`: nothing outlives the process."""

    def __init__(self, *, port: int, log_path: Path, options: tuple[str, ...] = ()):
        self.port = port
        self.log_path = log_path
        self.options = tuple(options)  # more redis-server arguments ("--maxmemory", "8mb", …)
        self.proc = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        import redis

        assert not self.running, "redis-server already running"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--daemonize", "no", *self.options],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=die_with_parent,
            )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=1)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server exited: {self.log_path.read_text(errors='replace')[-2000:]}")
                try:
                    if client.ping():
                        return
                except redis.exceptions.ConnectionError:
                    time.sleep(0.1)
            self.stop()
            raise RuntimeError(f"redis-server not answering on port {self.port} within {timeout}s")
        finally:
            client.close()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server at once (SIGKILL): clients see their connections drop, as in an outage."""
        if not self.running:
            return
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=timeout)
