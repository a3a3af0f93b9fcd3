"""The processes of the cluster test, on loopback: a private Redis, moto S3, an SMTP sink that keeps every
message with its Message-ID, N gunicorn nodes, M Celery workers, one beat, and HAProxy in front of the nodes.

Each is a tests.support process (started in its own process group, killed with its parent); HAProxy's
configuration is generated here and is the one docs/cluster.md ships (deploy/haproxy.cfg), with loopback ports.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from harness import ROOT, request

sys.path.insert(0, str(ROOT))
_bench = [entry for entry in sys.path if Path(entry or ".").resolve() == ROOT / "bench"]
for _entry in _bench:  # bench/public.py would shadow the package `public` that aiosmtpd imports
    sys.path.remove(_entry)
import aiosmtpd.controller  # noqa: E402,F401
sys.path[1:1] = _bench

from tests.support.gunicorn import GunicornServer  # noqa: E402
from tests.support.processes import die_with_parent  # noqa: E402
from tests.support.smtp import SmtpSink, _Handler  # noqa: E402
from tests.support.worker import WorkerProcess  # noqa: E402

HAPROXY = "/usr/sbin/haproxy"
# The ports of this test: the range given to it on the shared machine.
PORTS = (55550, 55650)


class _PeerHandler(_Handler):
    async def handle_DATA(self, server, session, envelope):
        # Nothing awaits between here and on_accept (no delay is set): the peer is this message's sender.
        self.sink.peer = session.peer
        return await super().handle_DATA(server, session, envelope)


class PeerSmtpSink(SmtpSink):
    """The tests' SMTP sink, telling `on_accept` which client (address, port) sent the message."""

    def __init__(self, port: int):
        super().__init__(port=port)
        from aiosmtpd.controller import Controller

        self.peer = None
        self.controller = Controller(_PeerHandler(self), hostname=self.host, port=self.port)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]


class BeatProcess(WorkerProcess):
    name = "celery beat"

    def __init__(self, *, env: dict, log_path: Path, schedule: Path):
        super().__init__(env=env, log_path=log_path)
        self.schedule = schedule

    def command(self) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO", f"--schedule={self.schedule}"]

    def ready(self, output: bytes) -> bool:
        return b"beat: Starting" in output


class Node(GunicornServer):
    """One web node: gunicorn answering /healthz (readiness) on its own loopback port."""

    def __init__(self, *, name: str, env: dict, log_path: Path, port: int, workers: int, threads: int):
        super().__init__(env=env, log_path=log_path, port=port, workers=workers, threads=threads)
        self.name = name

    def ready(self, output: bytes) -> bool:
        try:
            return request("GET", f"{self.url}/healthz")[0] == 200
        except OSError:
            return False

    def graceful_stop(self, timeout: float = 60.0) -> None:
        """gunicorn's graceful stop (SIGTERM to the master): requests in progress finish, new ones are refused."""
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=timeout)
        self._close_log()


def haproxy_config(*, port: int, nodes: list[Node], stats_socket: Path) -> str:
    """HAProxy in front of the nodes: roundrobin, readiness by /healthz, retries of what is safe to retry."""
    servers = "\n".join(
        f"    server {node.name} 127.0.0.1:{node.port} check inter 1s fall 2 rise 2" for node in nodes)
    return f"""global
    maxconn 2000
    stats socket {stats_socket} mode 600 level admin
    log stderr format short local0 warning

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # A request that met a dead node is sent again, to another node (redispatch); POSTs only when the
    # connection itself failed (the node never saw them): disable-l7-retry below.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response

frontend portal
    bind 127.0.0.1:{port}
    # The balancer alone names the client and the scheme: what a client sent in these headers is replaced,
    # never appended to (the nodes trust X-Forwarded-For from the balancer's address only: TRUSTED_PROXIES).
    http-request set-header X-Forwarded-For %[src]
    http-request set-header X-Forwarded-Proto https if {{ ssl_fc }}
    http-request set-header X-Forwarded-Proto http if !{{ ssl_fc }}
    http-request disable-l7-retry if !METH_GET !METH_HEAD
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
{servers}
"""


class Balancer:
    """HAProxy with the generated configuration; its runtime API drains and readies nodes."""

    def __init__(self, *, port: int, nodes: list[Node], var: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.socket_path = var / "haproxy.sock"
        self.config_path = var / "haproxy.cfg"
        self.config_path.write_text(haproxy_config(port=port, nodes=nodes, stats_socket=self.socket_path))
        self.log_path = var / "haproxy.log"
        self.proc = None

    def start(self) -> None:
        check = subprocess.run([HAPROXY, "-c", "-q", "-f", str(self.config_path)], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"haproxy -c: {check.stdout}{check.stderr}")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([HAPROXY, "-db", "-f", str(self.config_path)], stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=die_with_parent)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited: {self.log_path.read_text(errors='replace')[-2000:]}")
            states = self.states()
            if states and all(state == "UP" for state in states.values()):
                return
            time.sleep(0.3)
        raise RuntimeError(f"haproxy: not every node up in 30 s: {self.states()}")

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket_path))
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def _stat(self) -> list[dict]:
        lines = self.command("show stat").lstrip("# ").splitlines()
        header = lines[0].split(",")
        return [dict(zip(header, line.split(","))) for line in lines[1:] if line]

    def states(self) -> dict[str, str]:
        """Each node's state as HAProxy sees it (UP, DOWN, DRAIN, MAINT; "UP 1/2" while it changes)."""
        try:
            return {row["svname"]: row["status"] for row in self._stat()
                    if row["pxname"] == "nodes" and row["svname"] not in ("BACKEND", "FRONTEND")}
        except (OSError, IndexError):
            return {}

    def counters(self) -> dict[str, int]:
        """HAProxy's own count of what it hid from the clients (retries, redispatches) and what it did not (5xx)."""
        rows = {(row["pxname"], row["svname"]): row for row in self._stat()}
        backend, frontend = rows[("nodes", "BACKEND")], rows[("portal", "FRONTEND")]
        return {"retries": int(backend["wretr"] or 0), "redispatches": int(backend["wredis"] or 0),
                "5xx_to_clients": int(frontend["hrsp_5xx"] or 0)}

    def sessions(self, node: str) -> int:
        return next(int(row["scur"]) for row in self._stat() if row["pxname"] == "nodes" and row["svname"] == node)

    def drain(self, node: str, timeout: float = 30.0) -> None:
        """No new request to `node`; return when those it is answering are done."""
        self.command(f"set server nodes/{node} state drain")
        deadline = time.monotonic() + timeout
        while self.sessions(node) and time.monotonic() < deadline:
            time.sleep(0.1)

    def ready(self, node: str, timeout: float = 30.0) -> None:
        """Give `node` requests again once its health check passes."""
        self.command(f"set server nodes/{node} state ready")
        deadline = time.monotonic() + timeout
        while self.states().get(node) != "UP" and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)


def socket_owner(local_port: int, processes: list[WorkerProcess]) -> WorkerProcess | None:
    """The process (of `processes`, each its own process group) with a TCP socket bound to `local_port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                inodes.add(f"socket:[{fields[9]}]")
    for process in processes:
        if not process.running:
            continue
        for pid in (p for p in os.listdir("/proc") if p.isdigit()):
            try:
                if os.getpgid(int(pid)) != process.proc.pid:
                    continue
                if any(os.readlink(f"/proc/{pid}/fd/{fd}") in inodes for fd in os.listdir(f"/proc/{pid}/fd")):
                    return process
            except OSError:
                continue
    return None
