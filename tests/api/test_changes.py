"""The changes feed under concurrent writers, on PostgreSQL: no dossier skipped, none given twice.

A change is listed only once every transaction older than it has finished (the snapshot's xmin), so a slow
transaction's change, numbered before a quick one's but committed after it, is never left behind the cursor.
Other sessions' transactions on the shared server only delay the feed, so the reader polls until a deadline."""

import random
import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction
from django.test import Client

from dossiers.constants import DossierAction, DossierStatus
from dossiers.models import Dossier
from dossiers.services import dossier_move

from .conftest import bearer, client_make

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
DEADLINE = 60


def _poll(key: str, cursor: str = "") -> dict:
    return Client().get("/api/v1/dossiers/changes", {"cursor": cursor, "limit": 7}, **bearer(key)).json()


def _drain(key: str, cursor: str, until, deliveries: list) -> str:
    """Follow the feed until `until(deliveries)` holds (or the deadline)."""
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        page = _poll(key, cursor)
        codes = [d["code"] for d in page["dossiers"]]
        assert len(codes) == len(set(codes))  # a page names a dossier once
        deliveries += page["dossiers"]
        cursor = page["cursor"]
        if until(deliveries):
            return cursor
        if not page["dossiers"]:
            time.sleep(0.05)
    return cursor


def test_a_change_committed_first_waits_for_an_older_transaction(build, agency):
    # Two agencies of the client: moves at one agency wait for each other on its statistics row.
    second = build.agency()
    api_client, key = client_make(build, agency, rate_limit=100_000)
    api_client.agencies.add(second)
    api_client.account.agency_roles.create(agency=second, role="process")
    slow = build.dossier(DossierStatus.RECEIVED, procedure=build.procedure(agencies=[agency]))
    quick = build.dossier(DossierStatus.RECEIVED, procedure=build.procedure(agencies=[second]))
    written, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                dossier_move(dossier=slow, action=DossierAction.START, actor=api_client.account)
                written.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert written.wait(30)
    dossier_move(dossier=quick, action=DossierAction.START, actor=api_client.account)  # committed at once
    page = _poll(key)
    assert page["dossiers"] == [] and page["cursor"] == "0.0"  # the quick change waits behind the slow one
    release.set()
    thread.join()
    deliveries = []
    _drain(key, "", lambda found: len(found) >= 2, deliveries)
    assert [d["code"] for d in deliveries] == [slow.code, quick.code]  # the order of their transactions


def _writer(dossiers, actor, errors):
    moves = [(DossierAction.START, ""), (DossierAction.REQUEST_SUPPLEMENT, "Bổ sung bản sao"),
             (DossierAction.STOP, "Dừng theo đề nghị")]
    try:
        for action, note in moves:
            for dossier in dossiers:
                dossier_move(dossier=dossier, action=action, actor=actor, note=note,
                             guard=lambda locked: time.sleep(random.uniform(0, 0.03)))  # a transaction of some length
    except Exception as exc:  # pragma: no cover - reported by the test
        errors.append(exc)
    finally:
        close_old_connections()
        connection.close()


def test_concurrent_writers_neither_skip_nor_repeat_a_change(build, agency):
    procedure = build.procedure(agencies=[agency])
    api_client, key = client_make(build, agency, rate_limit=100_000)
    groups = [[build.dossier(DossierStatus.RECEIVED, procedure=procedure) for _ in range(5)] for _ in range(4)]
    errors, deliveries = [], []
    writers = [threading.Thread(target=_writer, args=(group, api_client.account, errors)) for group in groups]
    for thread in writers:
        thread.start()
    cursor = ""
    while any(thread.is_alive() for thread in writers):  # read while they write
        page = _poll(key, cursor)
        deliveries += page["dossiers"]
        cursor = page["cursor"]
    for thread in writers:
        thread.join()
    assert errors == []
    final = dict(Dossier.objects.filter(agency=agency).values_list("code", "status"))
    assert set(final.values()) == {DossierStatus.STOPPED}

    def all_final(found):
        last = {d["code"]: d["status"] for d in found}
        return last == final

    _drain(key, cursor, all_final, deliveries)
    last = {d["code"]: d["status"] for d in deliveries}
    assert last == final  # none skipped: every dossier's last change reached the client
    seen = [(d["code"], d["updated_at"]) for d in deliveries]
    assert len(seen) == len(set(seen))  # none twice: a change is delivered once
    assert _poll(key, _drain(key, cursor, lambda found: True, []))["dossiers"] == []


def test_a_client_sees_only_its_agencies_changes(build, agency):
    procedure = build.procedure(agencies=[agency])
    api_client, key = client_make(build, agency)
    other = build.dossier(DossierStatus.RECEIVED, procedure=build.procedure())
    own = build.dossier(DossierStatus.RECEIVED, procedure=procedure)
    dossier_move(dossier=other, action=DossierAction.START, actor=_superuser())
    dossier_move(dossier=own, action=DossierAction.START, actor=api_client.account)
    deliveries = []
    _drain(key, "", lambda found: bool(found), deliveries)
    assert [d["code"] for d in deliveries] == [own.code]
    assert Client().get("/api/v1/dossiers/changes", {"cursor": "x.y"}, **bearer(key)).status_code == 422


def _superuser():
    from accounts.models import User

    return User.objects.create_superuser(email="root@kontum.gov.vn", password="x-Secret-123")
