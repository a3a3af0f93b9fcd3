"""A Celery worker killed in the middle of sending an e-mail: the task runs again on a new worker.

Two moments to die in, with the guarantee the outbox gives at each (notifications.sending.email_send):
before the SMTP server accepted the message, it is sent exactly once; after the server accepted it but
before the row was marked sent, it is sent again, with the same Message-ID (at least once, never lost).
"""

import time

import pytest
import redis
from django.test import Client

from notifications.models import Email
from notifications.sending import message_id
from tests.factories.dossiers import Builder
from tests.support.wizard import submit_dossier

from .conftest import wait_until

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TO = "nguoi-nop@example.vn"
# Unacknowledged tasks of a dead worker come back after this many seconds (production: an hour).
VISIBILITY_TIMEOUT = 5


@pytest.fixture
def start_short_visibility_worker(start_worker):
    return lambda: start_worker(CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))


def citizen_submits():
    build = Builder()
    citizen = Client()
    citizen.force_login(build.citizen())
    page = submit_dossier(citizen, build.procedure(), email=TO)
    assert citizen.get(page).status_code == 200


def wait_until_redelivery_is_due(private_redis):
    """Wait until the dead worker's unacknowledged task is older than the visibility timeout.

    A worker gives such tasks back to the queue when it starts (kombu's Redis transport), if they are due.
    """
    client = redis.Redis.from_url(private_redis.url(0))
    try:
        def due():
            entries = client.zrange("unacked_index", 0, -1, withscores=True)
            return entries and all(time.time() - score > VISIBILITY_TIMEOUT + 1 for _, score in entries)

        wait_until(due, timeout=60, message=lambda: f"unacked: {client.zrange('unacked_index', 0, -1)}")
    finally:
        client.close()


def test_worker_killed_before_the_server_accepted_the_message_sends_it_once(
    on_private_redis, private_redis, start_short_visibility_worker, smtp_sink
):
    first = start_short_visibility_worker()
    smtp_sink.delay = 120  # the server keeps the worker waiting for its answer to the message
    citizen_submits()
    assert smtp_sink.data_started.wait(timeout=90), first.output()[-3000:]
    first.kill()
    smtp_sink.delay = 0
    assert smtp_sink.messages == []
    assert Email.objects.get(to=TO).status == "pending"  # the dead worker's transaction died with it

    wait_until_redelivery_is_due(private_redis)
    second = start_short_visibility_worker()
    wait_until(lambda: Email.objects.get(to=TO).status == "sent", timeout=120,
               message=lambda: second.output()[-3000:])
    assert "notifications.tasks.email_send" in second.output()
    email = Email.objects.get(to=TO)
    assert [m["Message-ID"] for m in smtp_sink.messages] == [message_id(email)]
    assert email.attempts == 1


def test_worker_killed_after_the_server_accepted_the_message_sends_it_again_with_the_same_message_id(
    on_private_redis, private_redis, start_short_visibility_worker, smtp_sink
):
    first = start_short_visibility_worker()
    # The worker dies the moment the server has taken the message, before it hears the server's "250".
    smtp_sink.on_accept = lambda message: first.kill()
    citizen_submits()
    wait_until(lambda: len(smtp_sink.messages) == 1 and not first.running, timeout=90,
               message=lambda: first.output()[-3000:])
    smtp_sink.on_accept = None
    assert Email.objects.get(to=TO).status == "pending"  # nothing told the portal it was sent

    wait_until_redelivery_is_due(private_redis)
    second = start_short_visibility_worker()
    wait_until(lambda: Email.objects.get(to=TO).status == "sent", timeout=120,
               message=lambda: second.output()[-3000:])
    email = Email.objects.get(to=TO)
    # Sent again rather than lost; both copies are the same message to the recipient's mail system.
    assert [m["To"] for m in smtp_sink.messages] == [TO, TO]
    assert {m["Message-ID"] for m in smtp_sink.messages} == {message_id(email)}
