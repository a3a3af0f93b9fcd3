"""Redis stopped while citizens submit: the submissions succeed, and the e-mails go out once Redis is back."""

import logging

import pytest
from django.test import Client

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from notifications.models import Email
from tests.factories.dossiers import Builder
from tests.support.wizard import submit_dossier

from .conftest import wait_until

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CITIZENS_WHILE_DOWN = 3


def citizen_submits(build, procedure, n):
    citizen = build.citizen()
    client = Client()
    client.force_login(citizen)
    page = submit_dossier(client, procedure, email=f"nguoi-nop-{n}@example.vn")
    detail = client.get(page)
    assert detail.status_code == 200 and "Đã nộp hồ sơ thành công" in detail.content.decode()
    return client, page


def test_citizens_submit_while_redis_is_down_and_each_email_is_sent_once_it_returns(
    private_redis, on_private_redis, start_worker, smtp_sink, caplog
):
    caplog.set_level(logging.WARNING, logger="notifications.tasks")
    worker = start_worker(EMAIL_SWEEP_AFTER_SECONDS="0")
    build = Builder()
    procedure = build.procedure()
    # With Redis up the e-mail leaves at once: the path under test works before it is broken.
    citizen_submits(build, procedure, 0)
    smtp_sink.wait_for(lambda m: m["To"] == "nguoi-nop-0@example.vn", timeout=90)

    private_redis.stop()
    for n in range(1, CITIZENS_WHILE_DOWN + 1):
        client, page = citizen_submits(build, procedure, n)
        for path in ("/ho-so/", f"/thu-tuc/{procedure.code}/", "/thu-tuc/?q=giay+phep", "/"):
            assert client.get(path).status_code == 200, path
    health = Client().get("/healthz")
    assert health.status_code == 503 and health.json()["checks"]["cache"] == "error"  # operators are told
    submitted = Dossier.objects.exclude(status=DossierStatus.DRAFT)
    assert submitted.count() == CITIZENS_WHILE_DOWN + 1
    assert len(set(submitted.values_list("code", flat=True))) == CITIZENS_WHILE_DOWN + 1
    waiting = Email.objects.exclude(status="sent")
    assert sorted(waiting.values_list("to", flat=True)) == [
        f"nguoi-nop-{n}@example.vn" for n in range(1, CITIZENS_WHILE_DOWN + 1)
    ]
    for email in waiting:
        assert f"e-mail {email.pk} not queued, broker unavailable" in caplog.text

    private_redis.start()
    assert Client().get("/healthz").status_code == 200
    # What the beat does every few minutes (CELERY_BEAT_SCHEDULE "email-sweep-pending").
    on_private_redis.send_task("notifications.tasks.email_sweep_pending")
    wait_until(lambda: not Email.objects.exclude(status="sent").exists(), timeout=180,
               message=lambda: worker.output()[-4000:])
    # A row is marked sent in the transaction that holds its lock while sending: once every row is sent,
    # no task still queued can send any of them again.
    received = sorted(m["To"] for m in smtp_sink.messages)
    assert received == [f"nguoi-nop-{n}@example.vn" for n in range(CITIZENS_WHILE_DOWN + 1)]
