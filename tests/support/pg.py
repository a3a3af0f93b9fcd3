"""Break PostgreSQL connections on purpose, from an administrator connection of its own."""

import time

import psycopg
from django.conf import settings
from django.db import connection


def _admin():
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                           user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None,
                           dbname="postgres", autocommit=True, connect_timeout=5)


def database_backends(*, exclude_test_process: bool = True) -> list[int]:
    """Pids of the server processes connected to the test database (not ours)."""
    with _admin() as admin:
        return [pid for (pid,) in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s",
            [settings.DATABASES["default"]["NAME"], _own_pid() if exclude_test_process else 0]).fetchall()]


def _own_pid() -> int:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def drop_connections(timeout: float = 10.0) -> int:
    """Terminate every backend of the test database but the test's own and the admin one; return how many.

    Waits until PostgreSQL has really removed them, so the next request meets a dead socket.
    """
    pids = database_backends()
    with _admin() as admin:
        killed = sum(bool(ok) for (ok,) in (
            admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() for pid in pids))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            alive = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids]).fetchone()[0]
            if not alive:
                return killed
            time.sleep(0.05)
    raise AssertionError(f"backends {pids} still alive after {timeout}s")
