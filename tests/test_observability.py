import json
import logging

import pytest

from portal.observability import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/")
    assert len(response["X-Request-ID"]) == 32


def test_the_proxy_request_id_is_kept_and_a_bad_one_replaced(client):
    assert client.get("/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert client.get("/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_request_log_line_is_json_with_the_request_id(client, caplog):
    caplog.handler.addFilter(RequestIdFilter())  # as the console handler of LOGGING has it
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = client.get("/thu-tuc/", HTTP_X_REQUEST_ID="trace-42")
    record = next(r for r in caplog.records if r.name == "portal.request")
    line = json.loads(JsonFormatter().format(record))
    assert response.status_code == 200
    assert line["request_id"] == "trace-42"
    assert line["path"] == "/thu-tuc/" and line["status"] == 200 and line["method"] == "GET"
