"""Redis stops while the worker finishes a task: the worker lives on and takes the next task once Redis is back.

The task's late acknowledgement fails, and the worker's consumer closes its lost connection. With celery and
kombu 5.7.0 alone that close raises AttributeError and the worker process exits (portal/celery.py: Consumer).
This happened now and then in test_redis_down.py, when Redis stopped right as the first e-mail's task ended;
here it happens every time.
"""

import pytest
from django.test import Client

from notifications.models import Email
from portal.celery import app
from tests.factories.dossiers import Builder
from tests.support.wizard import submit_dossier

from .conftest import wait_until

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

def citizen_submits(build, procedure, email):
    citizen = Client()
    citizen.force_login(build.citizen())
    assert citizen.get(submit_dossier(citizen, procedure, email=email)).status_code == 200


def test_worker_survives_redis_stopping_before_it_acknowledges_a_task(
    on_private_redis, private_redis, start_worker, smtp_sink
):
    worker = start_worker()
    build = Builder()
    procedure = build.procedure()
    # Redis stops the moment the SMTP server takes the first message: the task ends, its ack cannot reach Redis.
    smtp_sink.on_accept = lambda message: private_redis.stop()
    citizen_submits(build, procedure, "truoc@example.vn")
    wait_until(lambda: "Connection to broker lost" in worker.output(), timeout=90,
               message=lambda: worker.output()[-3000:])
    smtp_sink.on_accept = None
    private_redis.start()

    citizen_submits(build, procedure, "sau@example.vn")
    wait_until(lambda: not Email.objects.exclude(status="sent").exists(), timeout=120,
               message=lambda: worker.output()[-4000:])
    assert worker.running, worker.output()[-4000:]
    assert "Unrecoverable error" not in worker.output()
    # Each e-mail once: the first task's row was marked sent before its ack was lost (the private Redis keeps
    # nothing across the restart, so no copy of that task comes back here; test_worker_killed.py covers that).
    assert sorted(m["To"] for m in smtp_sink.messages) == ["sau@example.vn", "truoc@example.vn"]


def test_the_worker_runs_the_portal_consumer():
    assert app.conf.worker_consumer == "portal.celery:Consumer"
