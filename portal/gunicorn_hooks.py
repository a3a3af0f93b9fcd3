"""gunicorn's hooks for prometheus_client's multiprocess mode: `gunicorn -c python:portal.gunicorn_hooks …`.

With PROMETHEUS_MULTIPROC_DIR set, each worker keeps its counters in files of that folder, and a scrape adds
them all up (portal/metrics.py). The folder is emptied when the arbiter starts (counters left by a previous
run would be added again), and a worker's live gauges are dropped when it exits. Without the variable both
hooks do nothing.
"""

import os
import shutil


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
