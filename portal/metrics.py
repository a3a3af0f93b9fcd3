"""Prometheus metrics (prometheus_client): the requests the web processes served, counted by one middleware,
and, read when Prometheus scrapes, the backlogs an operator watches: the Celery queues, the e-mail outbox, the
payments still pending.

gunicorn runs several worker processes: with PROMETHEUS_MULTIPROC_DIR set (before the process starts) every
worker writes its counters to files there and a scrape of any worker adds them all up (prometheus_client's
multiprocess mode; portal/gunicorn_hooks.py clears the folder at start and marks dead workers). Without it each
process counts alone (`manage.py runserver`, tests). docs/observability.md says how to run it.
"""

import logging
import os
import time

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from .operators import may_scrape_metrics

logger = logging.getLogger(__name__)

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Each worker writes its own files there from its first request: a missing folder would fail every request.
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

REQUESTS = Counter("portal_http_requests", "HTTP requests answered, by route name, method and status class",
                   ["route", "method", "status"])
LATENCY = Histogram("portal_http_request_duration_seconds", "Time to answer an HTTP request, by route name",
                    ["route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Celery's Redis transport keeps a queue's higher priorities in lists of their own (kombu: PRIORITY_STEPS, sep).
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


class MetricsMiddleware:
    """Count each request and time it: a route name, not the path, so that the series stay few."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name or "unnamed") if match is not None else "unmatched"
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(route, method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response


def _gauge(name: str, documentation: str, value, labels: dict | None = None) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=list(labels or {}))
    family.add_metric(list((labels or {}).values()), value)
    return family


def _age_seconds(oldest, now) -> float:
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


class BacklogCollector:
    """What waits, read at scrape time: one query per table, one LLEN per Celery queue list."""

    def collect(self):
        yield from self._database()
        yield from self._queues()

    def _database(self):
        from notifications.constants import EmailStatus
        from notifications.models import Email
        from payments.constants import PaymentStatus
        from payments.models import Payment

        now = timezone.now()
        try:
            outbox = Email.objects.filter(status=EmailStatus.PENDING).aggregate(n=Count("id"), oldest=Min("created_at"))
            failed = Email.objects.filter(status=EmailStatus.FAILED).count()
            pending = Payment.objects.filter(status=PaymentStatus.PENDING).aggregate(n=Count("id"),
                                                                                     oldest=Min("created_at"))
        except Exception as exc:  # a scrape during an outage says so instead of failing
            logger.warning("metrics: database unreadable: %s", exc)
            yield _gauge("portal_metrics_source_up", "Whether a source of the scrape answered", 0, {"source": "database"})
            return
        yield _gauge("portal_metrics_source_up", "Whether a source of the scrape answered", 1, {"source": "database"})
        yield _gauge("portal_email_outbox_backlog", "E-mails written and not sent yet", outbox["n"])
        yield _gauge("portal_email_outbox_oldest_age_seconds", "Age of the oldest unsent e-mail",
                     _age_seconds(outbox["oldest"], now))
        yield _gauge("portal_emails_failed", "E-mails whose sending failed for good", failed)
        yield _gauge("portal_payments_pending", "Payments started and not settled yet", pending["n"])
        yield _gauge("portal_payments_pending_oldest_age_seconds", "Age of the oldest pending payment",
                     _age_seconds(pending["oldest"], now))

    def _queues(self):
        url = settings.CELERY_BROKER_URL
        if not url.startswith(("redis://", "rediss://")):
            return  # tasks run in-process: there is no queue to measure
        import redis

        queues = sorted({getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"), *_routed_queues()})
        depth = GaugeMetricFamily("portal_celery_queue_length", "Tasks waiting in a Celery queue", labels=["queue"])
        try:
            client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            with client.pipeline(transaction=False) as pipe:
                for queue in queues:
                    for suffix in _PRIORITY_SUFFIXES:
                        pipe.llen(queue + suffix)
                lengths = pipe.execute()
        except Exception as exc:
            logger.warning("metrics: broker unreadable: %s", exc)
            yield _gauge("portal_metrics_source_up", "Whether a source of the scrape answered", 0, {"source": "broker"})
            return
        for n, queue in enumerate(queues):
            depth.add_metric([queue], sum(lengths[n * len(_PRIORITY_SUFFIXES):(n + 1) * len(_PRIORITY_SUFFIXES)]))
        yield _gauge("portal_metrics_source_up", "Whether a source of the scrape answered", 1, {"source": "broker"})
        yield depth


def _routed_queues() -> set[str]:
    routes = getattr(settings, "CELERY_TASK_ROUTES", None) or {}
    return {route["queue"] for route in routes.values() if isinstance(route, dict) and route.get("queue")}


_BACKLOG = CollectorRegistry(auto_describe=False)
_BACKLOG.register(BacklogCollector())


def _process_registry():
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


@never_cache
def metrics_view(request):
    """The Prometheus text exposition; a 404 to anyone but the machine itself or a holder of METRICS_TOKEN."""
    if not may_scrape_metrics(request):
        raise Http404
    body = generate_latest(_process_registry()) + generate_latest(_BACKLOG)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
