"""SMS through a Vietnamese brandname gateway, eSMS.vn's JSON API (SendMultipleMessage_V4_post_json).

The text is sent without diacritics (IsUnicode 0): one GSM-7 segment holds 160 characters, a Unicode one 70, and
the carriers' customer-care brandname templates are registered in that form.
"""

from django.conf import settings

from .base import Channel, Refused, Sent, Transient, http_json, register

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
ACCEPTED = "100"
DUPLICATE_REQUEST = "124"  # the RequestId was accepted before: a retry after a lost answer
# Codes that will not pass on a retry: wrong keys, account locked, no credit, brandname unknown, type or content wrong.
REFUSED = {"101", "102", "103", "104", "118", "119", "131", "177"}


@register("sms", "esms")
class EsmsChannel(Channel):
    def send(self, *, recipient: str, text: str, request_id: str) -> Sent:
        answer = http_json(settings.SMS_API_URL.rstrip("/") + SEND_PATH, payload={
            "ApiKey": settings.SMS_API_KEY,
            "SecretKey": settings.SMS_SECRET_KEY,
            "Phone": recipient,
            "Content": text,
            "Brandname": settings.SMS_BRANDNAME,
            "SmsType": "2",  # customer care through a brandname
            "IsUnicode": "0",
            "RequestId": request_id,  # the gateway drops a second send with the same id
        })
        code = str(answer.get("CodeResult", ""))
        if code in (ACCEPTED, DUPLICATE_REQUEST):
            return Sent(provider_id=str(answer.get("SMSID") or request_id))
        error = f"CodeResult {code}: {answer.get('ErrorMessage', '')}".strip()
        raise Refused(error) if code in REFUSED else Transient(error)
