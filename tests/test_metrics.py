"""/metrics: the Prometheus text format, for the machine itself or the token holder; numbers read after real
requests and real rows."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from notifications.constants import EmailStatus
from notifications.models import Email
from payments.constants import PaymentStatus
from tests.factories.payments import open_payment, owed_dossier

pytestmark = pytest.mark.django_db

PUBLIC = {"REMOTE_ADDR": "198.51.100.20"}


def scrape(client, **extra) -> dict:
    """{(sample name, sorted labels): value} of one scrape from loopback."""
    response = client.get("/metrics", **extra)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_the_public_gets_a_404_the_token_holder_the_metrics(client, settings):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    assert client.get("/metrics", **PUBLIC).status_code == 404
    assert client.get("/metrics", **PUBLIC, HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 404
    assert scrape(client, **PUBLIC, HTTP_AUTHORIZATION="Bearer scrape-token-0123456789")
    assert scrape(client)  # the machine itself


def test_no_token_set_means_loopback_only(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", **PUBLIC, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 404


def test_requests_are_counted_by_route_method_and_status_class_with_their_latency(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/livez").status_code == 200
    assert client.get("/thu-tuc/khong-co-thu-tuc-nay/").status_code == 404
    assert client.post("/livez").status_code == 200
    after = scrape(client)

    def delta(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert delta("portal_http_requests_total", route="livez", method="GET", status="2xx") == 3
    assert delta("portal_http_requests_total", route="livez", method="POST", status="2xx") == 1
    assert delta("portal_http_requests_total", route="procedures:detail", method="GET", status="4xx") == 1
    assert delta("portal_http_request_duration_seconds_count", route="livez") == 4
    assert delta("portal_http_request_duration_seconds_bucket", route="livez", le="+Inf") == 4
    assert delta("portal_http_request_duration_seconds_sum", route="livez") > 0


def test_outbox_failed_emails_and_pending_payments_are_read_at_scrape_time(client, build):
    now = timezone.now()
    for minutes, status in ((0, EmailStatus.PENDING), (10, EmailStatus.PENDING), (0, EmailStatus.FAILED),
                            (0, EmailStatus.SENT)):
        email = Email.objects.create(to="a@example.vn", subject="s", body_text="b", status=status)
        Email.objects.filter(pk=email.pk).update(created_at=now - timedelta(minutes=minutes))
    open_payment(owed_dossier(build), minutes_ago=30)
    open_payment(owed_dossier(build), status=PaymentStatus.PAID, minutes_ago=90)

    metrics = scrape(client)

    assert metrics[("portal_email_outbox_backlog", ())] == 2
    assert 600 <= metrics[("portal_email_outbox_oldest_age_seconds", ())] < 700
    assert metrics[("portal_emails_failed", ())] == 1
    assert metrics[("portal_payments_pending", ())] == 1
    assert 1800 <= metrics[("portal_payments_pending_oldest_age_seconds", ())] < 1900
    assert metrics[("portal_metrics_source_up", (("source", "database"),))] == 1


def test_celery_queue_depth_is_the_broker_lists_length(client, settings, redis_url):
    import redis

    queue = f"metrics-test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    broker = redis.Redis.from_url(redis_url)
    try:
        broker.rpush(queue, "t1", "t2", "t3")
        broker.rpush(queue + "\x06\x169", "urgent")  # a priority 9 task: Celery keeps it in a list of its own
        metrics = scrape(client)
    finally:
        broker.delete(queue, queue + "\x06\x169")
    assert metrics[("portal_celery_queue_length", (("queue", queue),))] == 4
    assert metrics[("portal_metrics_source_up", (("source", "broker"),))] == 1


def test_an_unreachable_broker_is_reported_not_fatal(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:55549/0"  # nothing listens there
    metrics = scrape(client)
    assert metrics[("portal_metrics_source_up", (("source", "broker"),))] == 0
    assert ("portal_payments_pending", ()) in metrics


def test_the_example_token_opens_nothing(monkeypatch):
    """A production copied from .env.example does not hand /metrics to whoever read that file."""
    import importlib

    import portal.settings.security as security

    monkeypatch.setenv("METRICS_TOKEN", "change-me-metrics-token")
    try:
        assert importlib.reload(security).METRICS_TOKEN == ""
    finally:
        monkeypatch.delenv("METRICS_TOKEN")
        importlib.reload(security)
