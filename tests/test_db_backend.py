"""The health check of persistent PostgreSQL connections (portal/db/postgresql): a healthy idle connection is
taken as healthy without a round trip; one the server dropped is noticed and replaced."""

import select
import time

import psycopg
import pytest
from django.db import connection, connections

from tests.support.pg import _admin, _own_pid

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_portal_uses_its_backend():
    assert type(connections["default"]).__module__ == "portal.db.postgresql.base"


def test_a_sequential_scan_starts_at_the_table_s_start():
    """A search's candidates are the first rows the plan finds (LIMIT without ORDER BY). A sequential scan
    of a table larger than a quarter of shared_buffers otherwise starts where another scan is reading: at
    100 000 procedures "dinh thuan" found other procedures on each request (bench/search_prefix.py)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone() == ("off",)


def test_a_healthy_idle_connection_is_checked_without_sending_anything(monkeypatch):
    connection.ensure_connection()

    def no_query(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(connection.connection, "cursor", no_query)
    monkeypatch.setattr(connection.connection, "execute", no_query)
    assert connection.is_usable()


@pytest.mark.django_db(transaction=True)  # the test's own connection is dropped: no test transaction around it
def test_a_connection_the_server_dropped_is_found_unusable():
    pid = _own_pid()
    with _admin() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
    # The server's goodbye (or the end of the stream) waits on the socket: the check sees it and then asks.
    deadline = time.monotonic() + 5
    while not select.select([connection.connection.fileno()], [], [], 0)[0] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not connection.is_usable()
    # Django's own path: the dead connection is closed, and the next query opens a new one.
    connection.health_check_enabled, connection.health_check_done = True, False
    connection.close_if_health_check_failed()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_closed_or_broken_connection_is_unusable(monkeypatch):
    connection.ensure_connection()
    raw: psycopg.Connection = connection.connection
    monkeypatch.setattr(type(raw), "broken", property(lambda self: True))
    assert not connection.is_usable()
