"""Structured logs: one JSON object a line, each carrying the id of the request it belongs to, in the web
process and in the Celery tasks that request queued (the id travels as a message header)."""

import contextvars
import json
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID (or make one), log the request, and echo the id back."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.logger = logging.getLogger("portal.request")

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            self.logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        payload.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


# --- The request's id in the tasks it queues ---------------------------------------------------------------------
TASK_HEADER = "request_id"
_task_tokens: dict[str, contextvars.Token] = {}


def task_publish_add_request_id(sender=None, headers=None, **kwargs):
    """before_task_publish: a task queued while a request (or a task) runs carries that request's id."""
    request_id = request_id_var.get()
    if headers is not None and request_id != "-":
        headers.setdefault(TASK_HEADER, request_id)


def task_prerun_restore_request_id(sender=None, task_id=None, task=None, **kwargs):
    """task_prerun: the worker logs the task's lines under the id the task was queued with.

    A worker reads the message's headers as the request's own attributes; a task run in-process (eager) is
    not published at all and simply keeps the id of the request that runs it."""
    request = getattr(task, "request", None)
    request_id = (request.get(TASK_HEADER) or (request.get("headers") or {}).get(TASK_HEADER)) if request else None
    if request_id and _SAFE_ID.match(str(request_id)) and task_id:
        _task_tokens[task_id] = request_id_var.set(str(request_id))


def task_postrun_forget_request_id(sender=None, task_id=None, **kwargs):
    """task_postrun: the worker's next task starts without this one's id."""
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        request_id_var.reset(token)


def worker_logs_carry_request_id(**kwargs):
    """after_setup_logger: every record of a worker or beat process carries the request id (Celery's own log
    formats, CELERY_WORKER_LOG_FORMAT and CELERY_WORKER_TASK_LOG_FORMAT, print it), whichever handler writes it."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "adds_request_id", False):
        return

    def record_with_request_id(*args, **kwargs):
        record = make_record(*args, **kwargs)
        record.request_id = request_id_var.get()
        return record

    record_with_request_id.adds_request_id = True
    logging.setLogRecordFactory(record_with_request_id)
