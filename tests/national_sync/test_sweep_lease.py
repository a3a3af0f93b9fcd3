"""The beat's sweep queues a dossier's delivery once while a task for it is queued or running (the lease), and
parallel sweeps over the national portal's sandbox (real HTTP, PostgreSQL, real threads) deliver each record once,
in order."""

import threading
import time

import pytest
from django.db import connection

from national_sync import services, tasks
from national_sync.constants import RecordState
from national_sync.models import OutboxRecord
from sandbox_dvcqg.models import Call, Message
from tests.national_sync.conftest import RECEIVE, START
from tests.support.threads import run_times

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.integration]


@pytest.fixture
def broker_away(monkeypatch):
    """Records written while the broker is away: nothing queued, all pending for the sweep."""
    monkeypatch.setattr(services, "outbox_enqueue", lambda dossier_id: None)


@pytest.fixture
def queued(monkeypatch):
    """What the sweep hands to the broker, per dossier; `deliver` runs the queued task at once (a free worker)."""
    handed: list[int] = []

    def setup(*, deliver: bool):
        def enqueue(dossier_id):
            handed.append(dossier_id)
            if deliver:
                tasks.outbox_deliver.apply((dossier_id,))

        monkeypatch.setattr(tasks, "outbox_enqueue", enqueue)
        return handed

    return setup


def test_a_sweep_does_not_queue_again_a_dossier_whose_task_is_still_queued(national, walk, settings, broker_away,
                                                                          queued):
    settings.NATIONAL_SYNC_LEASE = 300
    dossiers = [walk(RECEIVE) for _ in range(2)]
    handed = queued(deliver=False)  # the tasks wait in the broker's queue (workers busy)
    assert tasks.outbox_sweep() == 2
    assert tasks.outbox_sweep() == 0  # both still leased to the queued tasks
    assert sorted(handed) == sorted(d.pk for d in dossiers)


def test_a_sweep_leaves_a_dossier_being_delivered_to_its_task(national, walk, settings, broker_away, queued):
    settings.NATIONAL_SYNC_LEASE = 300
    settings.NATIONAL_SYNC_TIMEOUT = 10.0
    dossier = walk()
    national.control("motcua", "timeout", times=1, delay=2.0)  # stored, then answered 2 s later
    record = OutboxRecord.objects.get(dossier=dossier)
    worker = threading.Thread(target=lambda: (tasks.outbox_deliver.apply((dossier.pk,)), connection.close()))
    worker.start()
    try:
        for _ in range(100):  # until the national side has it: the delivery is waiting for the answer
            if Message.objects.filter(code=dossier.code).exists():
                break
            time.sleep(0.05)
        handed = queued(deliver=False)
        assert tasks.outbox_sweep() == 0
    finally:
        worker.join(timeout=30)
    assert handed == []
    record.refresh_from_db()
    assert record.state == RecordState.DELIVERED and record.attempts == 1
    assert Call.objects.filter(request_id=str(record.uuid)).count() == 1


def test_parallel_sweeps_deliver_each_record_once_in_order(national, walk, settings, broker_away, queued):
    settings.NATIONAL_SYNC_LEASE = 300
    dossiers = [walk(RECEIVE, START) for _ in range(4)]
    handed = queued(deliver=True)
    run_times(tasks.outbox_sweep, 4, raise_errors=True)

    assert sorted(handed) == sorted(d.pk for d in dossiers)  # each dossier queued once
    for dossier in dossiers:
        records = OutboxRecord.objects.filter(dossier=dossier).order_by("sequence")
        assert [(r.state, r.attempts) for r in records] == [(RecordState.DELIVERED, 1)] * 3
        held = list(Message.objects.filter(protocol="motcua", code=dossier.code).order_by("id"))
        assert [m.sequence for m in held] == [1, 2, 3], dossier.code
        for record in records:
            assert Call.objects.filter(request_id=str(record.uuid)).count() == 1
