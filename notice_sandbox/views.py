"""The two simulated providers' APIs and pages.

SMS: eSMS.vn's JSON API, POST …/MainService.svc/json/SendMultipleMessage_V4_post_json/ with ApiKey and SecretKey
in the body; answers {"CodeResult": "100", "SMSID": …} (100 accepted, 101 wrong keys, 104 unknown brandname, 99
error, 124 RequestId already sent).
Zalo: OA API v3, POST /v3.0/oa/message/cs with the `access_token` header, {"recipient": {"user_id"},
"message": {"text"}}; answers {"error": 0, "message": "Success", "data": {"message_id", "user_id"}} (-216 token
invalid, -213 not a follower, -230 no interaction in 7 days, -32 over the rate).
GET /v3.0/oa/user/detail?data={"user_id": <84 phone>} finds a test follower: every number is one, except those
ending in 000 (not followers).
"""

import hashlib
import hmac
import json
import uuid

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .models import Mode, Received
from .services import behaviour_of, behaviour_set, behaviour_take

SMS, ZALO = "sms", "zalo"


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _same(given, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(str(given or "").encode(), expected.encode())


@csrf_exempt
@require_POST
def sms_send(request):
    mode = behaviour_take(channel=SMS)
    if mode == Mode.DOWN:
        return HttpResponse("Service Unavailable", status=503)
    body = _json_body(request)
    if not (_same(body.get("ApiKey"), settings.SMS_API_KEY) and _same(body.get("SecretKey"), settings.SMS_SECRET_KEY)):
        return JsonResponse({"CodeResult": "101", "ErrorMessage": "Authorize Failed"})
    if body.get("Brandname") != settings.SMS_BRANDNAME:
        return JsonResponse({"CodeResult": "104", "ErrorMessage": "Brandname không tồn tại hoặc đã bị hủy"})
    if mode == Mode.FAIL:
        return JsonResponse({"CodeResult": "99", "ErrorMessage": "Lỗi không xác định, thử lại sau"})
    if mode == Mode.REJECT:
        return JsonResponse({"CodeResult": "103", "ErrorMessage": "Số dư tài khoản không đủ"})
    request_id = str(body.get("RequestId") or "")
    if request_id and Received.objects.filter(channel=SMS, request_id=request_id).exists():
        return JsonResponse({"CodeResult": "124", "ErrorMessage": "Trùng RequestId"})
    message = Received.objects.create(channel=SMS, recipient=str(body.get("Phone", "")),
                                      text=str(body.get("Content", "")), request_id=request_id,
                                      message_id=uuid.uuid4().hex)
    return JsonResponse({"CodeResult": "100", "CountRegenerate": 0, "SMSID": message.message_id})


def _zalo_user_id(phone: str) -> str:
    return str(int(hashlib.sha256(phone.encode()).hexdigest()[:15], 16))


def _zalo_token_ok(request) -> bool:
    # Zalo's header is `access_token`; WSGI servers drop underscored names, so it arrives here as `access-token`.
    return _same(request.headers.get("access-token"), settings.ZALO_OA_ACCESS_TOKEN)


@csrf_exempt
@require_POST
def zalo_message_cs(request):
    mode = behaviour_take(channel=ZALO)
    if mode == Mode.DOWN:
        return HttpResponse("Service Unavailable", status=503)
    if not _zalo_token_ok(request):
        return JsonResponse({"error": -216, "message": "Access token is invalid"})
    if mode == Mode.FAIL:
        return JsonResponse({"error": -32, "message": "Exceeded request limit"})
    if mode == Mode.REJECT:
        return JsonResponse({"error": -230, "message": "User has not interacted with the OA in the last 7 days"})
    body = _json_body(request)
    user_id = str((body.get("recipient") or {}).get("user_id", ""))
    text = str((body.get("message") or {}).get("text", ""))
    if not user_id or not text:
        return JsonResponse({"error": -201, "message": "Parameters are invalid"})
    message = Received.objects.create(channel=ZALO, recipient=user_id, text=text, message_id=uuid.uuid4().hex)
    return JsonResponse({"error": 0, "message": "Success", "data": {"message_id": message.message_id,
                                                                       "user_id": user_id}})


@require_GET
def zalo_user_detail(request):
    if not _zalo_token_ok(request):
        return JsonResponse({"error": -216, "message": "Access token is invalid"})
    try:
        phone = str(json.loads(request.GET.get("data", "{}")).get("user_id", ""))
    except (ValueError, AttributeError):
        return JsonResponse({"error": -201, "message": "Parameters are invalid"})
    if not phone.isdigit() or phone.endswith("000"):
        return JsonResponse({"error": -213, "message": "User has not followed OA"})
    return JsonResponse({"error": 0, "message": "Success", "data": {
        "user_id": _zalo_user_id(phone), "display_name": "Người dùng thử nghiệm", "user_is_follower": True}})


@require_http_methods(["GET", "POST"])
def page(request, channel: str):
    """What the provider received, newest first, and how it answers next."""
    if request.method == "POST":
        mode = request.POST.get("mode", Mode.OK)
        times = request.POST.get("times", "0")
        behaviour_set(channel=channel, mode=mode if mode in Mode.values else Mode.OK,
                      times=int(times) if times.isdigit() else 0)
        return redirect(request.path)
    return render(request, "notice_sandbox/page.html", {
        "channel": channel, "messages": Received.objects.filter(channel=channel)[:200],
        "behaviour": behaviour_of(channel=channel), "modes": Mode.choices,
    })
