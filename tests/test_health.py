"""/livez for the supervisor, /healthz for the balancer: neither tells the public more than the status."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PUBLIC = {"REMOTE_ADDR": "203.0.113.9"}


def test_livez_answers_without_database_cache_or_session(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("/livez touched the cache")

    for name in ("get", "get_many", "set", "add", "incr", "delete"):
        monkeypatch.setattr(caches["default"], name, refuse)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/livez", **PUBLIC)

    assert (response.status_code, response.content) == (200, b"ok")
    assert len(queries) == 0
    assert "Set-Cookie" not in str(response.cookies) and "Cookie" not in response.get("Vary", "")


def test_livez_and_healthz_answer_plain_http_probes_under_the_ssl_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/livez").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301  # everything else goes to HTTPS


def test_healthz_shows_the_public_only_the_status(client):
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_details_for_loopback_the_internal_network_and_the_token(client, settings):
    settings.METRICS_TOKEN = "ops-token-0123456789"
    for extra in ({"REMOTE_ADDR": "127.0.0.1"}, {"REMOTE_ADDR": "10.0.3.7"},
                  {**PUBLIC, "HTTP_AUTHORIZATION": "Bearer ops-token-0123456789"}):
        body = client.get("/healthz", **extra).json()
        assert set(body["checks"]) == {"database", "cache", "broker", "storage"}, extra
    wrong = client.get("/healthz", **PUBLIC, HTTP_AUTHORIZATION="Bearer guess").json()
    assert "checks" not in wrong


def test_a_visitor_behind_a_proxy_on_the_same_host_is_public(client, settings):
    """nginx on the machine: every request comes from 127.0.0.1, the visitor is in X-Forwarded-For."""
    behind_untrusted = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert "checks" not in behind_untrusted.json()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    behind_trusted = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert "checks" not in behind_trusted.json()
    operator_via_proxy = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert "checks" in operator_via_proxy.json()


def test_a_failing_check_is_a_503_for_everyone_and_named_only_inside(client, monkeypatch):
    monkeypatch.setattr("portal.views.default_storage.exists", lambda name: 1 / 0)
    public = client.get("/healthz", **PUBLIC)
    inside = client.get("/healthz")
    assert public.status_code == inside.status_code == 503
    assert public.json() == {"status": "error"}
    assert inside.json()["checks"]["storage"] == "error"
