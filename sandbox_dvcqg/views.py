"""The simulated national portal over HTTP: the one-stop protocol (/motcua/), the v2 API (/v2/), the look-up, the
control endpoint that tells it to misbehave, and its page of what it received."""

import base64
import hashlib
import hmac
import json
import urllib.parse

from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import ControlForm
from .models import Call, Message, Mode, Protocol, UploadedFile

SESSION_AGE = 1800
TOKEN_AGE = 3600


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(str(a).encode(), str(b).encode())


def _body(request) -> dict:
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


# --- One-stop protocol --------------------------------------------------------------------------------------------

@csrf_exempt
@require_POST
def motcua_login(request):
    body = _body(request)
    if not (_same(body.get("username", ""), settings.NATIONAL_MOTCUA_USERNAME)
            and _same(body.get("password", ""), settings.NATIONAL_MOTCUA_PASSWORD)
            and _same(body.get("dstcode", ""), settings.NATIONAL_MOTCUA_DSTCODE)):
        return JsonResponse({"error_code": 1, "message": "Sai tài khoản, mật khẩu hoặc dstcode"})
    session = signing.dumps({"u": body["username"]}, salt="dvcqg.motcua")
    return JsonResponse({"error_code": 0, "message": "Thành công", "session": session})


@csrf_exempt
@require_POST
def motcua_service(request):
    body = _body(request)
    try:
        signing.loads(str(body.get("session", "")), salt="dvcqg.motcua", max_age=SESSION_AGE)
    except signing.BadSignature:
        return JsonResponse({"error_code": -1, "message": "Phiên làm việc không hợp lệ hoặc đã hết hạn"})
    service, data = body.get("service"), body.get("data")
    if not isinstance(data, list) or not data:
        return JsonResponse({"error_code": 2, "message": "Thiếu data"})
    if service == "TraCuuHoSoMC":
        codes = [str(item.get("MaHoSo", "")) for item in data if isinstance(item, dict)]
        return JsonResponse({"error_code": 0, "data": services.held(protocol=Protocol.MOTCUA, codes=codes)})
    if service not in ("DongBoHoSoMC", "CapNhatTienDoHoSoMC"):
        return JsonResponse({"error_code": 3, "message": f"Dịch vụ không hỗ trợ: {service}"})
    if not body.get("MaYeuCau") or len(data) != 1:
        return JsonResponse({"error_code": 2, "message": "Mỗi yêu cầu gửi một hồ sơ, kèm MaYeuCau"})
    try:
        services.message_check(data[0], dossier=service == "DongBoHoSoMC")
    except services.Refused as exc:
        return JsonResponse({"error_code": 2, "message": str(exc)})
    outcome = services.receive(protocol=Protocol.MOTCUA, request_id=str(body["MaYeuCau"]), service=service,
                               item=data[0], sequence=_int(body.get("SoThuTu")))
    if outcome == "failed":
        return JsonResponse({"error_code": 99, "message": "Lỗi hệ thống, vui lòng thử lại"})
    return JsonResponse({"error_code": 0, "message": "Đã nhận trước đó" if outcome == "duplicate" else "Thành công"})


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- v2 -----------------------------------------------------------------------------------------------------------

def _problem(status: int, title: str) -> JsonResponse:
    return JsonResponse({"status": status, "title": title}, status=status, content_type="application/problem+json")


@csrf_exempt
@require_POST
def v2_token(request):
    try:
        kind, encoded = request.headers.get("Authorization", "").split(" ", 1)
        client_id, secret = base64.b64decode(encoded).decode().split(":", 1)
    except (ValueError, UnicodeDecodeError):
        client_id = secret = kind = ""
    if request.POST.get("grant_type") != "client_credentials":
        return JsonResponse({"error": "unsupported_grant_type"}, status=400)
    if kind != "Basic" or not (_same(client_id, settings.NATIONAL_V2_CLIENT_ID)
                               and _same(secret, settings.NATIONAL_V2_CLIENT_SECRET)):
        return JsonResponse({"error": "invalid_client"}, status=401)
    token = signing.dumps({"c": client_id}, salt="dvcqg.v2")
    return JsonResponse({"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_AGE})


def _bearer_ok(request) -> bool:
    kind, _, token = request.headers.get("Authorization", "").partition(" ")
    try:
        return kind == "Bearer" and bool(signing.loads(token, salt="dvcqg.v2", max_age=TOKEN_AGE))
    except signing.BadSignature:
        return False


@csrf_exempt
@require_POST
def v2_files(request):
    if not _bearer_ok(request):
        return _problem(401, "Token không hợp lệ")
    request_id, code = request.headers.get("X-Request-ID", ""), request.headers.get("X-MaHoSo", "")
    if not request_id or not code:
        return _problem(400, "Thiếu X-Request-ID hoặc X-MaHoSo")
    content = request.body
    uploaded, _ = UploadedFile.objects.get_or_create(request_id=request_id, defaults={
        "code": code, "name": urllib.parse.unquote(request.headers.get("X-TenTep", ""))[:255], "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    })
    return JsonResponse({"MaTepDinhKem": f"F{uploaded.pk}", "SHA256": uploaded.sha256}, status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def v2_dossiers(request):
    if not _bearer_ok(request):
        return _problem(401, "Token không hợp lệ")
    if request.method == "GET":
        codes = [c for c in request.GET.get("MaHoSo", "").split(",") if c]
        return JsonResponse({"data": services.held(protocol=Protocol.V2, codes=codes)})
    return _v2_message(request, service="dossier", dossier=True)


@csrf_exempt
@require_POST
def v2_progress(request, code):
    return _v2_message(request, service="progress", code=code) if _bearer_ok(request) else _problem(401, "Token")


@csrf_exempt
@require_POST
def v2_status(request, code):
    return _v2_message(request, service="status", code=code) if _bearer_ok(request) else _problem(401, "Token")


def _v2_message(request, *, service: str, dossier: bool = False, code: str = ""):
    item, request_id = _body(request), request.headers.get("X-Request-ID", "")
    if not request_id:
        return _problem(400, "Thiếu X-Request-ID")
    if code and item.get("MaHoSo") != code:
        return _problem(422, "MaHoSo khác với địa chỉ")
    if service == "status":
        item.setdefault("NoiDungXuLy", "Cập nhật trạng thái")
    try:
        services.message_check(item, dossier=dossier)
        _files_uploaded(item)
    except services.Refused as exc:
        return _problem(422, str(exc))
    outcome = services.receive(protocol=Protocol.V2, request_id=request_id, service=service, item=item,
                               sequence=_int(item.get("SoThuTu")))
    if outcome == "failed":
        return _problem(503, "Hệ thống đang bận")
    return JsonResponse({"MaHoSo": item["MaHoSo"], "KetQua": "DaNhan" if outcome == "duplicate" else "OK"}, status=201)


def _files_uploaded(item: dict) -> None:
    """Files first: every file the message names with a MaTepDinhKem must have been uploaded."""
    for name in ("TaiLieuNop", "DanhSachGiayToKetQua"):
        for entry in item.get(name) or []:
            if entry.get("IsDeleted"):
                continue
            ref = str(entry.get("MaTepDinhKem", ""))
            if not ref.startswith("F") or not UploadedFile.objects.filter(pk=_int(ref[1:])).exists():
                raise services.Refused(f"{name}: tệp chưa được tải lên ({ref or 'không có MaTepDinhKem'})")


# --- Control and page ---------------------------------------------------------------------------------------------

@csrf_exempt
@require_POST
def control_api(request):
    """Tell a protocol how to answer: {"protocol", "mode", "every", "times", "delay", "clear"} (JSON only, so a
    cross-site form cannot post it)."""
    if request.content_type != "application/json":
        return _problem(415, "Chỉ nhận application/json")
    form = ControlForm(_body(request))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    row = form.save_control()
    return JsonResponse({"protocol": row.protocol, "mode": row.mode, "every": row.every, "times": row.times,
                         "delay": row.delay, "seen": row.seen, "affected": row.affected})


@require_http_methods(["GET", "POST"])
def index(request):
    """What the national side received, per protocol, and the form that tells it to misbehave."""
    form = ControlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save_control()
        return HttpResponseRedirect(reverse("sandbox_dvcqg:index"))
    return render(request, "sandbox_dvcqg/index.html", {
        "form": form, "controls": [services.control(p) for p in Protocol.values],
        "messages_list": Message.objects.all()[:50], "calls": Call.objects.all()[:50],
        "counts": {p: Message.objects.filter(protocol=p).count() for p in Protocol.values},
        "modes": Mode,
    })


@require_GET
def lookup(request):
    """The look-up as a page would ask it: ?protocol=motcua&MaHoSo=a,b."""
    codes = [c for c in request.GET.get("MaHoSo", "").split(",") if c]
    return JsonResponse({"data": services.held(protocol=request.GET.get("protocol", Protocol.MOTCUA), codes=codes)})
