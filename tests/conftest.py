"""Shared fixtures: real services for the tests that are about them.

A test that needs a service (PostgreSQL, Redis, Chromium) skips when it is missing on a
developer's machine, and fails instead when REQUIRE_SERVICES=1, as CI sets it.
"""

import os
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def need_service(name: str, available: bool, why: str = "") -> None:
    """Skip (or fail under REQUIRE_SERVICES=1) when a service the test is about is missing."""
    if available:
        return
    message = f"{name} is not available{': ' + why if why else ''}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (REQUIRE_SERVICES=1)", pytrace=False)
    else:
        pytest.skip(message)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _postgres_marker(request):
    if request.node.get_closest_marker("postgres"):
        need_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")


@pytest.fixture
def build(db):
    """The domain builder (tests/factories/dossiers.py): citizens, staff, procedures, dossiers in a given state."""
    from tests.factories.dossiers import Builder

    return Builder()


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings):
    """Each test writes files to its own private folder and starts with empty caches (the shared one, and the
    process's own: the page frame, the catalogue's values kept per version)."""
    from django.core.cache import cache, caches

    from procedures import search, versioning
    from procedures import views as catalogue_views

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CITIZEN_PAGES_CACHED = True  # on as with Redis: in one process the local-memory cache sees every write
    settings.USERS_CACHED = True  # the same: the signed-in user read from the cache (accounts/user_cache.py)
    cache.clear()
    caches["local"].clear()
    catalogue_views._rows.clear()
    versioning.forget()  # the catalogue's version is read again at the first read, not kept from another test
    search.forget()  # nor the vocabulary and marks another test's rolled-back rows gave the same version number
    if "limits" in settings.CACHES:  # LIMITS_CACHE_URL set: the rate-limit counters' own server
        caches["limits"].clear()


@pytest.fixture(autouse=True)
def _celery_join_flag():
    """Celery's "a task must not wait for another" flag is one global of the process, not of a thread: an eager
    task (CELERY_TASK_ALWAYS_EAGER, as the tests run them) sets it while it runs and puts back what it found. Two
    threads running eager tasks at once (the race tests, the live server's thread beside the test's) can put it back
    in the wrong order and leave it set, and every later `.get()` of the run then raises "Never call result.get()
    within a task!". A worker process never shares it between threads; each test starts with it clear."""
    from celery import _state

    _state._set_task_join_will_block(False)


@pytest.fixture
def captcha_passes(monkeypatch, settings):
    """The captcha accepts "PASSED" (django-simple-captcha's test mode).

    The package copies the setting when it is imported, so both copies are changed.
    """
    from captcha.conf import settings as captcha_settings

    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


@pytest.fixture
def redis_url():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:
        need_service("Redis", False, str(exc))
    client.flushdb()
    return REDIS_TEST_URL


def test_database_env() -> dict:
    """Environment for a subprocess (worker, server) that must use the test database."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items()}
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        env["DATABASE_URL"] = f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    return env


@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""
    from tests.support.smtp import SmtpSink

    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def celery_worker_process(transactional_db, redis_url, smtp_sink, tmp_path):
    """Start a real Celery worker on Redis, on the test database, sending mail to the SMTP sink."""
    from tests.support.worker import WorkerProcess, worker_env

    worker = WorkerProcess(env=worker_env(broker_url=redis_url, smtp_port=smtp_sink.port),
                           log_path=tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def tasks_on_redis(redis_url):
    """Make this process publish tasks to the worker's Redis broker instead of running them itself."""
    from tests.support.worker import tasks_published_to

    with tasks_published_to(redis_url) as app:
        yield app


@pytest.fixture
def chromium_path():
    need_service("Chromium", Path(CHROMIUM).exists(), f"install Debian's chromium ({CHROMIUM})")
    return CHROMIUM


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto, server mode) on loopback, started once when first needed."""
    try:
        from tests.support.s3 import S3Server

        server = S3Server(port=free_port())
        server.start()
    except Exception as exc:  # moto missing or the port taken
        need_service("S3 server (moto)", False, str(exc))
    need_service("S3 server (moto)", port_open("127.0.0.1", server.get_host_and_port()[1]))
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """Make default_storage an S3Storage on a fresh private bucket for this test.

    Changing settings.STORAGES makes Django drop the storages it built (django.test.signals),
    so default_storage is created again, from the AWS_* values set here, when first used.
    """
    import uuid
    from types import SimpleNamespace

    from django.core.files.storage import default_storage

    from tests.support.s3 import s3_client

    client = s3_client(s3_server.endpoint)
    bucket = f"portal-test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)

    def configure(**aws) -> None:
        """Set AWS_* settings and rebuild default_storage from them (django-storages reads them once)."""
        for name, value in aws.items():
            setattr(settings, name, value)
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}

    configure(
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_server.endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_S3_REGION_NAME="us-east-1",
    )
    assert default_storage.bucket_name == bucket

    def keys() -> list[str]:
        return [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]

    return SimpleNamespace(client=client, bucket=bucket, endpoint=s3_server.endpoint, keys=keys, configure=configure)
