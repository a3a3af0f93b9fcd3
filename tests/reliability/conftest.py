"""Real services a reliability test may break: a private Redis, Celery workers on it, the SMTP sink.

Every process started here is stopped at teardown, also when the test fails half-way.
"""

import os
import time

import pytest

from tests.conftest import free_port, need_service


def wait_until(condition, *, timeout: float, message=lambda: "", interval: float = 0.2):
    """Poll `condition` until it is true; fail after `timeout` seconds with `message()`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"not within {timeout}s: {message()}")


@pytest.fixture(autouse=True)
def _citizens_pass_the_captcha(captcha_passes):
    """Every reliability test's citizens answer the captcha (tests/conftest.py: captcha_passes)."""


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test alone, on a free loopback port: `.stop()` and `.start()` it at will."""
    from tests.support.redis_server import REDIS_SERVER, RedisServer

    need_service("redis-server", os.path.exists(REDIS_SERVER), "install redis-server")
    server = RedisServer(port=free_port(), log_path=tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def on_private_redis(private_redis, settings):
    """This process caches in and publishes tasks to the private Redis, as production does with its own."""
    from tests.support.worker import tasks_published_to

    settings.CACHES = {
        **settings.CACHES,  # the per-process cache ("local") stays as it is
        "default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": private_redis.url(1)},
    }
    with tasks_published_to(private_redis.url(0)) as app:
        yield app


@pytest.fixture
def start_worker(transactional_db, private_redis, smtp_sink, tmp_path):
    """Start a real Celery worker on the private Redis (`start_worker(**env)`); all are stopped at teardown."""
    from tests.support.worker import WorkerProcess, worker_env

    workers = []

    def start(**extra_env):
        env = worker_env(broker_url=private_redis.url(0), smtp_port=smtp_sink.port,
                         CACHE_URL=f"rediscache://127.0.0.1:{private_redis.port}/1", **extra_env)
        worker = WorkerProcess(env=env, log_path=tmp_path / f"worker-{len(workers) + 1}.log")
        workers.append(worker)
        worker.start(timeout=90)
        return worker

    yield start
    for worker in workers:
        worker.stop()
