"""Pages of the simulated gateways (what the payer sees) and their JSON APIs (what the merchant calls)."""

import json
from functools import wraps

import qrcode
import qrcode.image.svg
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import api, results, services
from .constants import (
    FINAL,
    MOMO_DENIED,
    MOMO_EXPIRED,
    MOMO_INSUFFICIENT,
    MOMO_SUCCESS,
    MOMO_TEST_WALLET,
    OTP_ATTEMPTS,
    SANDBOX_BANKS,
    TEST_CVV,
    TEST_OTP,
    VNPAY_ATM_CARDS,
    VNPAY_BANKS,
    VNPAY_CANCELLED,
    VNPAY_EXPIRED,
    VNPAY_INTERNATIONAL_CARDS,
    VNPAY_MESSAGES,
    VNPAY_METHOD_CODES,
    VNPAY_PAID,
    VNPAY_WRONG_OTP,
    Gateway,
)
from .forms import AtmCardForm, InternationalCardForm, IpnModeForm, OtpForm
from .models import SandboxTransaction
from .protocol import SandboxError


def _pending_transaction(gateway: str):
    """Decorator: load the transaction by token; once it is finished, send the payer back to the merchant."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, token, **kwargs):
            tx = get_object_or_404(SandboxTransaction, token=token, gateway=gateway)
            tx = services.transaction_expire_if_due(sandbox_transaction=tx)
            if tx.status in FINAL:
                return HttpResponseRedirect(results.transaction_return_url(sandbox_transaction=tx))
            return view(request, tx, **kwargs)

        return wrapper

    return decorator


def _finish(tx: SandboxTransaction, code: str, ipn_mode: str, **card) -> HttpResponseRedirect:
    tx = services.transaction_finish(transaction_id=tx.pk, code=code, ipn_mode=ipn_mode, **card)
    return HttpResponseRedirect(results.transaction_return_url(sandbox_transaction=tx))


def _cancel_form(data=None) -> IpnModeForm:
    # Prefixed: the cancel form shares pages with the payment forms, which have their own ipn_mode.
    return IpnModeForm(data, prefix="cancel")


def _ipn_mode(request) -> str:
    form = _cancel_form(request.POST)
    return form.cleaned_data["ipn_mode"] if form.is_valid() else IpnModeForm.base_fields["ipn_mode"].initial


def _json_body(request) -> dict:
    try:
        data = json.loads(request.body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@require_GET
def index(request):
    """The sandbox's own log: recent transactions and every IPN attempt, for whoever tests the portal."""
    transactions = SandboxTransaction.objects.prefetch_related("deliveries")[:30]
    return render(request, "sandbox/index.html", {"transactions": transactions})


# --- VNPay ----------------------------------------------------------------------------------------


@require_GET
def vnpay_pay(request):
    try:
        tx = services.vnpay_transaction_open(params=request.GET.dict())
    except SandboxError as exc:
        return render(request, "sandbox/error.html", {"brand": "vnpay", "message": exc.message, "code": exc.code},
                      status=400)
    if tx.status in FINAL:
        return HttpResponseRedirect(results.transaction_return_url(sandbox_transaction=tx))
    method = VNPAY_METHOD_CODES.get(tx.bank_code)
    if method == "qr":
        return redirect("sandbox:vnpay_qr", token=tx.token)
    if method == "international":
        return redirect("sandbox:vnpay_international_card", token=tx.token)
    if tx.bank_code in SANDBOX_BANKS:
        return redirect("sandbox:vnpay_atm_card", token=tx.token, bank=tx.bank_code)
    return redirect("sandbox:vnpay_method", token=tx.token)


@require_GET
@_pending_transaction(Gateway.VNPAY)
def vnpay_method(request, tx):
    banks = [{"code": code, "name": name, "enabled": code in SANDBOX_BANKS} for code, name in VNPAY_BANKS]
    return render(request, "sandbox/vnpay_method.html", {"tx": tx, "brand": "vnpay", "banks": banks,
                                                          "finish_form": _cancel_form()})


def _card_page(request, tx, form_class, template_context, card_type_of, **form_kwargs):
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        services.transaction_record_card(transaction_id=tx.pk, bank_code=template_context["bank_code"],
                                         card_type=card_type_of(form), outcome=form.outcome)
        return redirect("sandbox:vnpay_otp", token=tx.token)
    return render(request, "sandbox/vnpay_card.html", {"tx": tx, "brand": "vnpay", "form": form,
                                                        "cancel_form": _cancel_form(), **template_context})


@require_http_methods(["GET", "POST"])
@_pending_transaction(Gateway.VNPAY)
def vnpay_atm_card(request, tx, bank):
    names = dict(VNPAY_BANKS)
    if bank not in SANDBOX_BANKS:
        raise Http404("Ngân hàng không hỗ trợ trong môi trường thử nghiệm")
    cards = [{"number": number, "holder": holder, "date": date, "result": VNPAY_MESSAGES[code]}
             for (number, holder, date), code in VNPAY_ATM_CARDS[bank].items()]
    context = {"bank_code": bank, "title": f"Thẻ nội địa — {names[bank]}", "cards": cards,
               "date_label": "Ngày phát hành", "extra_hint": ""}
    return _card_page(request, tx, AtmCardForm, context, lambda form: "ATM", bank=bank)


@require_http_methods(["GET", "POST"])
@_pending_transaction(Gateway.VNPAY)
def vnpay_international_card(request, tx):
    cards = [{"number": number, "holder": holder, "date": date, "result": VNPAY_MESSAGES[code], "type": kind}
             for (number, holder, date), (kind, code) in VNPAY_INTERNATIONAL_CARDS.items()]
    context = {"bank_code": "INTCARD", "title": "Thẻ thanh toán quốc tế", "cards": cards,
               "date_label": "Ngày hết hạn", "extra_hint": f"CVV/CVC: {TEST_CVV}"}
    return _card_page(request, tx, InternationalCardForm, context, lambda form: form.card_type)


@require_http_methods(["GET", "POST"])
@_pending_transaction(Gateway.VNPAY)
def vnpay_otp(request, tx):
    if not tx.card_outcome:
        return redirect("sandbox:vnpay_method", token=tx.token)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["otp"] == TEST_OTP:
            return _finish(tx, tx.card_outcome, form.cleaned_data["ipn_mode"])
        failures = services.transaction_otp_failed(transaction_id=tx.pk)
        if failures >= OTP_ATTEMPTS:
            return _finish(tx, VNPAY_WRONG_OTP, form.cleaned_data["ipn_mode"])
        form.add_error("otp", f"Mã OTP không đúng. Bạn còn {OTP_ATTEMPTS - failures} lần nhập.")
    return render(request, "sandbox/vnpay_otp.html", {"tx": tx, "brand": "vnpay", "form": form,
                                                       "test_otp": TEST_OTP, "cancel_form": _cancel_form()})


@require_http_methods(["GET", "POST"])
@_pending_transaction(Gateway.VNPAY)
def vnpay_qr(request, tx):
    form = IpnModeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _finish(tx, VNPAY_PAID, form.cleaned_data["ipn_mode"], bank_code="VNPAYQR", card_type="QRCODE")
    content = f"VNPAYQR|{tx.merchant_code}|{tx.reference}|{tx.amount}"
    svg = qrcode.make(content, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")
    return render(request, "sandbox/vnpay_qr.html", {"tx": tx, "brand": "vnpay", "form": form, "qr_svg": svg,
                                                      "cancel_form": _cancel_form()})


@require_POST
@_pending_transaction(Gateway.VNPAY)
def vnpay_finish(request, tx):
    code = {"cancel": VNPAY_CANCELLED, "timeout": VNPAY_EXPIRED}.get(request.POST.get("action"), VNPAY_CANCELLED)
    return _finish(tx, code, _ipn_mode(request))


@csrf_exempt
@require_POST
def vnpay_api(request):
    return JsonResponse(api.vnpay_api(data=_json_body(request)))


# --- MoMo -----------------------------------------------------------------------------------------


@csrf_exempt
@require_POST
def momo_create(request):
    tx, answer = services.momo_transaction_create(data=_json_body(request))
    if tx is not None:
        pay_url = request.build_absolute_uri(reverse("sandbox:momo_pay", kwargs={"token": tx.token}))
        answer.update({"payUrl": pay_url, "deeplink": pay_url, "qrCodeUrl": pay_url})
    return JsonResponse(answer)


@csrf_exempt
@require_POST
def momo_query(request):
    return JsonResponse(api.momo_query(data=_json_body(request)))


@csrf_exempt
@require_POST
def momo_refund(request):
    return JsonResponse(api.momo_refund(data=_json_body(request)))


@require_http_methods(["GET", "POST"])
@_pending_transaction(Gateway.MOMO)
def momo_pay(request, tx):
    form = IpnModeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = {"confirm": MOMO_SUCCESS, "insufficient": MOMO_INSUFFICIENT, "cancel": MOMO_DENIED,
                "timeout": MOMO_EXPIRED}.get(request.POST.get("action"), MOMO_DENIED)
        return _finish(tx, str(code), form.cleaned_data["ipn_mode"])
    return render(request, "sandbox/momo_pay.html", {"tx": tx, "brand": "momo", "form": form,
                                                      "wallet": MOMO_TEST_WALLET})
