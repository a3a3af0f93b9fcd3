"""Several gunicorn workers, one set of numbers: prometheus_client's multiprocess mode with portal.gunicorn_hooks.

A scrape lands on one worker, yet counts what every worker served, and what a worker served before it died."""

import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.support.gunicorn import GunicornServer, _server_env

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]



def free_port_in_range(first: int = 55510, last: int = 55529) -> int:
    """A free loopback port of the range these tests may use (a server of a previous run may still hold one)."""
    for port in range(first, last + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


class HookedGunicorn(GunicornServer):
    def command(self) -> list[str]:
        return [*super().command(), "-c", "python:portal.gunicorn_hooks"]


def livez_count(base: str) -> float:
    text = requests.get(f"{base}/metrics", timeout=10).text
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "portal_http_requests_total" and sample.labels.get("route") == "livez")


def livez_in(pid_file) -> float:
    """The /livez requests one worker's file counted."""
    return sum(sample.value for family in MultiProcessCollector.merge([str(pid_file)], accumulate=True)
               for sample in family.samples
               if sample.name == "portal_http_requests_total" and sample.labels.get("route") == "livez")


def worker_pids(master_pid: int) -> list[int]:
    with open(f"/proc/{master_pid}/task/{master_pid}/children") as children:
        return [int(pid) for pid in children.read().split()]


def test_counts_add_up_across_workers_and_survive_a_dead_one(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_99999.db").write_bytes(b"left from a previous run")  # the arbiter clears the folder
    server = HookedGunicorn(env=_server_env(PROMETHEUS_MULTIPROC_DIR=str(folder)), log_path=tmp_path / "g.log",
                            port=free_port_in_range(), workers=3, threads=1)
    server.start()
    try:
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: requests.get(f"{server.url}/livez", timeout=10).status_code,
                                    range(120)))
        assert answers == [200] * 120
        assert livez_count(server.url) == 120
        assert not (folder / "counter_99999.db").exists()
        # The requests were shared out (one thread per worker): the total above is a sum over processes.
        assert len([pid_file for pid_file in folder.glob("counter_*.db") if livez_in(pid_file)]) >= 2

        os.kill(worker_pids(server.proc.pid)[0], signal.SIGKILL)
        time.sleep(2)  # the arbiter notices, calls child_exit and starts another worker
        assert livez_count(server.url) == 120
    finally:
        server.stop()
