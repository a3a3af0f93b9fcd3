"""A task queued while a request runs logs under that request's id, in-process (eager) and in a real worker."""

import logging
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from idempotency.tasks import idempotency_keys_purge
from portal.observability import RequestIdFilter, RequestIdMiddleware, request_id_var


def request_queueing_a_task(request_id: str):
    """The real middleware around a view that queues a task, as a web request would."""
    def view(request):
        idempotency_keys_purge.delay()
        return HttpResponse("queued")

    return RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID=request_id))


@pytest.mark.django_db
def test_an_in_process_task_logs_under_the_request_id(caplog):
    caplog.handler.addFilter(RequestIdFilter())  # as the console handler of LOGGING has it
    with caplog.at_level(logging.INFO, logger="idempotency.tasks"):
        response = request_queueing_a_task("trace-eager-7")
    (line,) = [r for r in caplog.records if r.name == "idempotency.tasks"]
    assert response["X-Request-ID"] == "trace-eager-7"
    assert line.request_id == "trace-eager-7" and line.getMessage() == "idempotency keys purged: 0"
    assert request_id_var.get() == "-"  # nothing left behind for the next request


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_worker_logs_the_task_under_the_request_id_and_the_next_task_without_it(
        celery_worker_process, tasks_on_redis):
    request_queueing_a_task("trace-worker-42")
    idempotency_keys_purge.delay()  # queued outside any request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines = [line for line in celery_worker_process.output().splitlines() if "idempotency keys purged" in line]
        if len(lines) == 2:
            break
        time.sleep(0.2)
    assert len(lines) == 2, celery_worker_process.output()[-3000:]
    assert sum("[trace-worker-42]" in line for line in lines) == 1
    assert sum("[-]" in line for line in lines) == 1
