"""Past Django's request limits (too many fields, a body too big): bad input, one warning, no ERROR."""

import json
import logging

import pytest
from django.test import Client

from payments.models import GatewayCallback

pytestmark = [pytest.mark.django_db]


def _only_one_warning(caplog):
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.levelname for r in records] == ["WARNING"], [(r.name, r.levelname, r.getMessage()) for r in records]
    assert records[0].exc_info is None and "bad input refused" in records[0].getMessage()
    return records[0]


def test_a_form_with_too_many_fields_is_a_400_logged_once_as_a_warning(client, caplog):
    caplog.set_level(logging.INFO)
    data = "&".join(f"f{n}=x" for n in range(1500))
    response = client.post("/tra-cuu-ho-so/", data, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "TooManyFieldsSent" in _only_one_warning(caplog).getMessage()


def test_a_query_with_too_many_fields_is_a_400(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/thu-tuc/?" + "&".join(f"q{n}=x" for n in range(1500)))
    assert response.status_code == 400
    _only_one_warning(caplog)


def test_a_form_body_too_big_is_a_400(client, caplog, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    caplog.set_level(logging.INFO)
    response = client.post("/tra-cuu-ho-so/", "code=" + "x" * 20_000, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "RequestDataTooBig" in _only_one_warning(caplog).getMessage()


def test_a_vnpay_ipn_with_too_many_fields_gets_vnpays_own_refusal_and_is_recorded(caplog):
    caplog.set_level(logging.INFO)
    query = "&".join(f"vnp_X{n}=1" for n in range(1500))
    response = Client().get(f"/thanh-toan/vnpay/ipn/?{query}")
    assert response.status_code == 200 and response.json() == {"RspCode": "97", "Message": "Invalid Checksum"}
    _only_one_warning(caplog)
    callback = GatewayCallback.objects.get()
    assert callback.outcome == "bad_signature" and callback.query.startswith("vnp_X0=1&")


def test_a_momo_ipn_body_too_big_gets_momos_own_refusal_and_is_recorded(caplog, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    caplog.set_level(logging.INFO)
    body = json.dumps({"orderId": "x", "extraData": "y" * 20_000})
    response = Client().post("/thanh-toan/momo/ipn/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["resultCode"] == 13
    _only_one_warning(caplog)
    assert GatewayCallback.objects.get().body == ""
