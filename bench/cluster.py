"""The cluster test (issue #27): 3 gunicorn nodes behind HAProxy, 2 Celery workers and a beat, one PostgreSQL
database, a private Redis (broker, cache, sessions, rate limits), moto S3 for uploads, an SMTP sink and the
payment sandbox's signed IPNs — under the mixed load, while a web node is SIGKILLed, a worker is SIGKILLed while
it sends an e-mail, Redis is restarted, and every node is restarted in turn (drained at the balancer, stopped
gracefully, started, readied).

Measured per phase: requests, failures by kind, throughput. Checked after: 0 failed public reads; every
submission committed once, or refused with an HTTP answer and retried to success; the dossiers in the database
are the submissions answered (no doubles); every e-mail row sent and received, a repeat only with the same
Message-ID (the outbox's documented at-least-once guarantee, notifications/sending.py); every IPN'd payment paid
exactly once although 30 % of the IPNs are replays.

`make cluster` (full, writes bench/results/cluster.{md,json}); `CLUSTER_QUICK=1` is the short form CI runs
(tests/cluster/test_cluster.py), writing to CLUSTER_OUT. Exit status 1 when a check does not hold.
"""

from __future__ import annotations

import json
import re
import statistics
import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

from harness import ROOT, Stack, write_table
from cluster_load import IPN, PRIVATE, PUBLIC, SUBMISSION, Citizen, EventLog, Load, log_in
from cluster_stack import PORTS, Balancer, BeatProcess, Node, PeerSmtpSink, socket_owner

from tests.support.redis_server import RedisServer  # noqa: E402  (harness put the repository on sys.path)
from tests.support.s3 import S3Server, s3_client  # noqa: E402
from tests.support.worker import WorkerProcess  # noqa: E402

QUICK = os.environ.get("CLUSTER_QUICK", "") not in ("", "0")
NODES, WORKERS = 3, 2
NODE_WORKERS = int(os.environ.get("CLUSTER_NODE_WORKERS", "1" if QUICK else "2"))
NODE_THREADS = int(os.environ.get("CLUSTER_NODE_THREADS", "4" if QUICK else "2"))
USERS = int(os.environ.get("CLUSTER_USERS", "6" if QUICK else "10"))
PHASE = float(os.environ.get("CLUSTER_PHASE_SECONDS", "8" if QUICK else "40"))
PROCEDURES = 300 if QUICK else 2000
CITIZENS, PER_CITIZEN, PAYMENTS = (20, 5, 200) if QUICK else (60, 20, 1500)
# Unacknowledged tasks of a dead worker go back to the queue after this long (production: CELERY_VISIBILITY_TIMEOUT,
# an hour by default; docs/cluster.md). Short here, so that the run sees the redelivery.
VISIBILITY_TIMEOUT = 15
# The beat's sweep of e-mails left unsent (a task that did not survive the Redis restart: the short form met one)
# runs this often, for rows this old (production: every 300 s, rows older than 300 s).
SWEEP_EVERY, SWEEP_AFTER = 20, 30
# A submission's idempotency key held by a request that died with its node is taken over after this long (production:
# IDEMPOTENCY_RUNNING_SECONDS, 150 s, above gunicorn's 120 s timeout); the citizen is answered 409 meanwhile. Short
# here, so that the run sees the takeover: no request of the test's load runs anywhere near this long.
KEY_RUNNING_SECONDS = 30
DATABASE = os.environ.get("CLUSTER_DATABASE", "portal_cluster_run")
OUT = Path(os.environ.get("CLUSTER_OUT", ROOT / "bench" / "results"))
VAR = ROOT / "var" / "cluster"


# Sockets bound (never listening) to the test's ports for the whole run. The range (55550-55650) lies in Linux's
# ephemeral ports (32768-60999): without them, any client connection on the machine may borrow a port, say the one
# of a node between its kill and its restart. Linux never picks a bound port for an outgoing connection, and the
# servers (SO_REUSEADDR, all of them) still bind and listen on it.
RESERVED: list[socket.socket] = []


def free_ports(count: int, first: int = PORTS[0], last: int = PORTS[1]) -> list[int]:
    """`count` ports of the test's range that nothing holds now, held (RESERVED) until the run ends."""
    found = []
    for port in range(first, last + 1):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        RESERVED.append(sock)
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in {first}-{last}")


def start_on_its_port(process, **kwargs) -> None:
    """Start a server; again, up to 3 times, when its port was taken meanwhile.

    The ports are held (RESERVED) from the start, but one may have been borrowed by a client connection before.
    """
    for attempt in range(3):
        try:
            return process.start(**kwargs)
        except RuntimeError as exc:
            if "in use" not in str(exc) or attempt == 2:
                raise
            print(f"{type(process).__name__}: its port was in use, starting again", file=sys.stderr)
            time.sleep(2)


class Cluster:
    """Every process of the test, started in order and stopped at the end whatever happened."""

    def __init__(self):
        VAR.mkdir(parents=True, exist_ok=True)
        s3_port, smtp_port, redis_port, balancer_port, *node_ports = free_ports(4 + NODES)
        self.redis = RedisServer(port=redis_port, log_path=VAR / "redis.log", options=(
            "--appendonly", "yes", "--appendfsync", "always", "--dir", str(VAR)))  # the broker keeps its tasks
        self.s3 = S3Server(s3_port)
        self.smtp = PeerSmtpSink(smtp_port)
        self.stack = Stack("cluster", db_name=DATABASE, extra_env={
            "DJANGO_SETTINGS_MODULE": "portal.settings", "PORTAL_VAR_DIR": str(VAR),
            "CELERY_BROKER_URL": self.redis.url(0), "CACHE_URL": f"rediscache://127.0.0.1:{redis_port}/1",
            "LIMITS_CACHE_URL": f"rediscache://127.0.0.1:{redis_port}/2",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "EMAIL_SWEEP_EVERY": str(SWEEP_EVERY),
            "IDEMPOTENCY_RUNNING_SECONDS": str(KEY_RUNNING_SECONDS),
            "EMAIL_SWEEP_AFTER_SECONDS": str(SWEEP_AFTER), "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "AWS_STORAGE_BUCKET_NAME": "portal-cluster", "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-cluster",
            "PAYMENT_SANDBOX": "1", "CAPTCHA_TEST_MODE": "1", "TRUSTED_PROXIES": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{balancer_port}", "DJANGO_CONN_MAX_AGE": "60", "BENCH_ENDPOINTS": "1",
        })
        self.nodes = [Node(name=f"node{n + 1}", env=self.stack.env, log_path=VAR / f"node{n + 1}.log",
                           port=node_ports[n], workers=NODE_WORKERS, threads=NODE_THREADS) for n in range(NODES)]
        self.workers = [WorkerProcess(env=self.stack.env, log_path=VAR / f"worker{n + 1}.log", concurrency=1)
                        for n in range(WORKERS)]
        self.beat = BeatProcess(env=self.stack.env, log_path=VAR / "beat.log", schedule=VAR / "celerybeat-schedule")
        self.balancer = Balancer(port=balancer_port, nodes=self.nodes, var=VAR)

    def start(self) -> dict:
        """Services, then the one migration job and the data, then the nodes, workers, beat and balancer."""
        self.s3.start()
        self.smtp.start()
        start_on_its_port(self.redis)
        s3_client(self.s3.endpoint).create_bucket(Bucket="portal-cluster")
        self.stack.create_database()  # migrations run once, by this job, before any node starts
        self.stack.manage("generate_procedures", str(PROCEDURES), "--seed", "7")
        data = self.stack.shell_json("import json, fixtures\nprint(json.dumps(fixtures.citizens_with_dossiers("
                                     f"citizens={CITIZENS}, per_citizen={PER_CITIZEN}, payments={PAYMENTS})))")
        data["sample"] = self.stack.shell_json("import json, fixtures\nprint(json.dumps(fixtures.catalogue_sample()))")
        for process in [*self.nodes, *self.workers, self.beat]:
            start_on_its_port(process, timeout=120)
        self.balancer.start()
        return data

    def stop(self) -> None:
        for process in [self.balancer, *self.nodes, *self.workers, self.beat, self.smtp, self.s3, self.redis]:
            try:
                process.stop()
            except Exception as exc:  # noqa: BLE001 - stop the rest whatever one did (or was never started)
                print(f"stopping {type(process).__name__}: {exc!r}", file=sys.stderr)


class Scenario:
    """The phases, each a window of the load's time line, and what was done in each."""

    def __init__(self, cluster: Cluster, log: EventLog):
        self.cluster = cluster
        self.log = log
        self.phases: list[dict] = []
        self.counted = cluster.balancer.counters()

    def phase(self, name: str, action=None) -> None:
        started = self.log.now()
        notes = action() if action else ""
        remaining = PHASE - (self.log.now() - started)
        if remaining > 0:
            time.sleep(remaining)
        counters = self.cluster.balancer.counters()
        connections = self.cluster.stack.connections()
        self.phases.append({"phase": name, "from": round(started, 1), "to": round(self.log.now(), 1), "done": notes,
                            "pg_connections": connections, "haproxy": {k: v - self.counted.get(k, 0) for k, v in counters.items()}})
        self.counted = counters

    def kill_node(self) -> str:
        node = self.cluster.nodes[1]
        deadline = time.monotonic() + 10
        while self.cluster.balancer.sessions(node.name) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)  # mid-load: the node is answering requests when it dies
        in_flight = self.cluster.balancer.sessions(node.name)
        node.kill()
        at = self.log.now()
        time.sleep(3)  # a supervisor's restart delay
        start_on_its_port(node, timeout=120)
        return f"SIGKILL {node.name} (master and workers) at {at:.1f} s, {in_flight} requests in progress; restarted, ready at {self.log.now():.1f} s"

    def kill_worker_mid_send(self) -> str:
        """SIGKILL the worker whose SMTP connection just delivered a message, before it hears the server's 250."""
        killed, done = {}, threading.Event()

        def on_accept(message):
            worker = socket_owner(self.cluster.smtp.peer[1], self.cluster.workers)
            if worker is not None and not done.is_set():
                worker.kill()
                killed.update(worker=worker, message_id=str(message["Message-ID"]), at=self.log.now())
                done.set()

        self.cluster.smtp.on_accept = on_accept
        fired = done.wait(timeout=90)
        self.cluster.smtp.on_accept = None
        if not fired:
            raise RuntimeError("no e-mail was sent in 90 s: no worker could be killed mid-send")
        time.sleep(3)
        killed["worker"].start(timeout=120)
        index = self.cluster.workers.index(killed["worker"]) + 1
        return (f"SIGKILL worker{index} at {killed['at']:.1f} s, its message {killed['message_id']} taken by the "
                f"SMTP server but not yet answered; restarted at {self.log.now():.1f} s")

    def restart_redis(self) -> str:
        self.cluster.redis.stop()  # SIGKILL
        at = self.log.now()
        start_on_its_port(self.cluster.redis)
        return f"SIGKILL redis-server at {at:.1f} s (AOF, appendfsync always); up again at {self.log.now():.1f} s"

    def rolling_restart(self) -> str:
        steps = []
        for node in self.cluster.nodes:
            self.cluster.balancer.drain(node.name)
            node.graceful_stop()
            start_on_its_port(node, timeout=120)
            self.cluster.balancer.ready(node.name)
            steps.append(f"{node.name} {self.log.now():.1f} s")
        return "each node drained at HAProxy, SIGTERM (graceful), started, readied: " + ", ".join(steps)


def run(cluster: Cluster, data: dict) -> tuple[EventLog, Scenario, Load]:
    log = EventLog()
    citizens = [Citizen(cluster.balancer.url, log) for _ in range(USERS)]
    log_in(citizens, data["citizens"][:USERS], data["password"])
    log.events.clear()
    log.requests.clear()
    log.started = time.monotonic()
    load = Load(sample=data["sample"], ipn_queries=data["ipn_queries"], log=log)
    threads = load.run(citizens)
    scenario = Scenario(cluster, log)
    try:
        scenario.phase("before")
        scenario.phase("web node SIGKILLed", scenario.kill_node)
        scenario.phase("worker SIGKILLed mid-send", scenario.kill_worker_mid_send)
        scenario.phase("Redis restarted", scenario.restart_redis)
        scenario.phase("rolling restart", scenario.rolling_restart)
        scenario.phase("after")
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=120)
    return log, scenario, load


def task_seconds(logs: list[Path]) -> dict:
    """How long the workers' tasks took, from their logs ("Task … succeeded in 0.05s"), by task name."""
    found: dict[str, list[float]] = {}
    for path in logs:
        for name, seconds in re.findall(r"Task ([\w.]+)\[[^]]+\] succeeded in ([\d.]+)s", path.read_text(errors="replace")):
            found.setdefault(name, []).append(float(seconds))
    summary = {name: {"n": len(values), "mean_s": round(statistics.fmean(values), 3),
                      "max_s": round(max(values), 3)} for name, values in found.items()}
    swept = [int(n) for path in logs for n in re.findall(r"email_sweep_pending\[[^]]+\] succeeded in [\d.]+s: (\d+)",
                                                            path.read_text(errors="replace"))]
    summary["e-mails requeued by the sweep"] = sum(swept)
    return summary


def wait_for_outbox(stack: Stack, timeout: float) -> dict:
    """Wait until no e-mail row is pending (the killed worker's task comes back after the visibility timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        outbox = stack.shell_json("import json, fixtures\nprint(json.dumps(fixtures.email_deliveries()))")
        if not outbox["by_status"].get("pending") or time.monotonic() > deadline:
            return outbox
        time.sleep(3)


def main() -> int:
    shutil.rmtree(VAR, ignore_errors=True)
    started = time.monotonic()
    cluster = Cluster()
    try:
        data = cluster.start()
        setup_seconds = time.monotonic() - started
        log, scenario, load = run(cluster, data)
        outbox = wait_for_outbox(cluster.stack, timeout=VISIBILITY_TIMEOUT + SWEEP_EVERY + SWEEP_AFTER + 120)
        received = cluster.smtp.message_ids()
        tasks = task_seconds([worker.log_path for worker in cluster.workers])
        seconds = int(time.monotonic() - started) + 60
        sent_refs = sorted({q.split("vnp_TxnRef=")[1].split("&")[0] for q in load.feed.sent})
        codes = [e.code for e in log.events if e.kind == SUBMISSION and e.outcome == "ok"]
        db = cluster.stack.shell_json(
            "import json, fixtures\nprint(json.dumps({"
            f"'integrity': fixtures.integrity(submitted_codes={codes!r}, ipn_references={sent_refs!r}),"
            f"'submitted': fixtures.dossiers_submitted_since(seconds={seconds})}}))")
    finally:
        cluster.stop()
        if os.environ.get("CLUSTER_KEEP") != "1":
            cluster.stack.stop(drop=True)
    from cluster_report import report

    db["worker_tasks"] = tasks
    return report(log=log, scenario=scenario, db=db, outbox=outbox, received=received, out=OUT, setup={
        "mode": "quick (CI)" if QUICK else "full", "web_nodes": NODES, "gunicorn_per_node": f"{NODE_WORKERS} workers × "
        f"{NODE_THREADS} threads (gthread)", "celery_workers": f"{WORKERS} × concurrency 1", "beat": 1,
        "virtual_users": USERS, "phase_seconds": PHASE, "visibility_timeout_s": VISIBILITY_TIMEOUT,
        "idempotency_running_s": KEY_RUNNING_SECONDS, "e-mail_sweep_every_s": SWEEP_EVERY,
        "procedures": PROCEDURES, "citizens": CITIZENS, "pending_payments": PAYMENTS,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()], "setup_seconds": round(setup_seconds), "total_seconds": round(time.monotonic() - started),
    }, write=write_table)


if __name__ == "__main__":
    sys.exit(main())
