"""Zalo Official Account messages through the OA API v3 (developers.zalo.me: "Gửi tin Tư vấn").

POST /v3.0/oa/message/cs with the OA's `access_token` header, to a follower's `user_id`. A real OA may write to a
follower as a consultation message only within the days after they last wrote to it; notices sent at any time go
as "tin Giao dịch" (/v3.0/oa/message/transaction, same shape, templates approved by Zalo) or through ZNS by
phone number: the plugin's path is the one thing that changes.
"""

import json
from urllib.parse import quote

from django.conf import settings

from .base import Channel, Refused, Sent, Transient, http_json, register

SEND_PATH = "/v3.0/oa/message/cs"
USER_PATH = "/v3.0/oa/user/detail"
# Errors that will not pass on a retry: the token refused, the user unknown or not a follower, the message invalid.
REFUSED = {-216, -124, -201, -213, -230}


def _check(answer: dict) -> dict:
    error = int(answer.get("error", -1))
    if error == 0:
        return answer.get("data") or {}
    message = f"error {error}: {answer.get('message', '')}"
    raise Refused(message) if error in REFUSED else Transient(message)


def _headers() -> dict:
    # `access_token` as Zalo names it; the same value as `access-token` too, because a Python WSGI server (Django's,
    # gunicorn's) drops header names with an underscore (CVE-2015-0219): the sandbox reads that one.
    return {"access_token": settings.ZALO_OA_ACCESS_TOKEN, "access-token": settings.ZALO_OA_ACCESS_TOKEN}


@register("zalo", "zalo_oa")
class ZaloOaChannel(Channel):
    def send(self, *, recipient: str, text: str, request_id: str) -> Sent:
        data = _check(http_json(settings.ZALO_API_URL.rstrip("/") + SEND_PATH, headers=_headers(), payload={
            "recipient": {"user_id": recipient},
            "message": {"text": text},
        }))
        return Sent(provider_id=str(data.get("message_id", "")))

    def recipient_for(self, *, phone: str) -> str:
        """The follower's user_id: the OA looks a follower up by the phone number they shared with it (84…)."""
        query = quote(json.dumps({"user_id": "84" + phone.removeprefix("0")}))
        data = _check(http_json(f"{settings.ZALO_API_URL.rstrip('/')}{USER_PATH}?data={query}", headers=_headers()))
        return str(data["user_id"])
