"""The citizen's payment pages and the gateways' callbacks (DESIGN.md §4, §6)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.utils.translation import gettext_lazy as _

from common.client import client_ip
from dossiers.citizen_pages import citizen_page
from dossiers.selectors import dossier_access, dossiers_accessible
from dossiers.workflow import dossier_payable
from idempotency.decorators import idempotent
from representation.middleware import acting_principal

from . import selectors, services
from .constants import MONEY_RECEIVED, CallbackKind, Outcome, PaymentStatus
from .forms import PayForm
from .gateways.base import GatewayError, WebhookCode
from .gateways.registry import get_gateway
from .models import Payment
from .receipts import payment_receipt_pdf, receipt_filename

logger = logging.getLogger(__name__)


def _plugin_or_404(name: str):
    try:
        return get_gateway(name)
    except LookupError:
        raise Http404(_("Không có cổng thanh toán này.")) from None


@login_required
def transactions(request):
    def context():
        return {"dossiers": list(selectors.transactions_for_user(user=request.user,
                                                                 principal=acting_principal(request)))}

    return citizen_page(request, "payments/transactions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def fee_detail(request, code):
    dossier = get_object_or_404(dossiers_accessible(user=request.user, write=True).select_related("agency", "procedure")
                                .exclude(code=None), code=code, owner=acting_principal(request))
    owes = dossier_payable(dossier)
    form = PayForm(request.POST or None, initial={"gateway": "vnpay"})
    if request.method == "POST" and owes and form.is_valid():
        gateway = form.cleaned_data["gateway"]
        try:
            started = services.payment_start(
                dossier=dossier, user=request.user, gateway=gateway, bank_code=form.bank_code(),
                return_url=request.build_absolute_uri(reverse("payments:return", args=[gateway])),
                ipn_url=request.build_absolute_uri(reverse("payments:ipn", args=[gateway])),
                client_ip=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        except GatewayError:
            logger.warning("gateway %s refused or unreachable", gateway, exc_info=True)
            form.add_error(None, _("Cổng thanh toán tạm thời không phản hồi. Vui lòng thử lại sau ít phút "
                                 "hoặc chọn hình thức khác."))
        else:
            if started.redirect.method == "POST":
                return render(request, "payments/redirect_post.html", {"redirect": started.redirect})
            return HttpResponseRedirect(started.redirect.url)
    payments = list(dossier.payments.select_related("receipt_series").prefetch_related("refunds")
                    .order_by("-created_at", "-id"))
    context = {
        "dossier": dossier, "owes": owes, "form": form, "lines": selectors.dossier_fee_lines(dossier=dossier),
        "payments": payments, "refunded": sum(p.refunded_amount for p in payments),
    }
    return render(request, "payments/fee_detail.html", context)


@login_required
def receipt(request, reference):
    try:
        payment = selectors.payment_for_owner(user=request.user, reference=reference)
    except Payment.DoesNotExist:
        raise Http404 from None
    if payment.status not in MONEY_RECEIVED:
        raise Http404
    response = HttpResponse(payment_receipt_pdf(payment=payment), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(payment)}"'
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ipn(request, gateway):
    """The gateway's server-to-server call: the only thing that marks a payment paid."""
    plugin = _plugin_or_404(gateway)
    # Stored and committed before it is judged: whatever happens next, the call is on record.
    callback = services.callback_record(gateway=gateway, kind=CallbackKind.IPN, request=request)
    try:
        code = services.payment_webhook_handle(gateway=gateway, request=request, callback=callback)
    except Exception:
        logger.exception("IPN %s #%s could not be handled", gateway, callback.pk)
        services.callback_conclude(callback=callback, signature_ok=None, outcome=Outcome.UNEXPECTED)
        code = WebhookCode.UNEXPECTED
    return plugin.webhook_response(code)


def _ipn_bad_input(request, gateway):
    """Past Django's field or size limit (portal.middleware.RequestLimitsMiddleware): recorded, and refused
    in the gateway's own words as a call that cannot be a signed one."""
    plugin = _plugin_or_404(gateway)
    callback = services.callback_record(gateway=gateway, kind=CallbackKind.IPN, request=request)
    services.callback_conclude(callback=callback, signature_ok=False, outcome=Outcome.BAD_SIGNATURE)
    return plugin.webhook_response(WebhookCode.BAD_SIGNATURE)


ipn.bad_input_response = _ipn_bad_input


def payment_return(request, gateway):
    """Where the gateway sends the payer back: show what the webhook recorded; never mark anything paid."""
    plugin = _plugin_or_404(gateway)
    callback = services.callback_record(gateway=gateway, kind=CallbackKind.RETURN, request=request)
    outcome = plugin.parse_return(request.GET)
    payment = None
    if outcome.signature_ok and outcome.reference:
        payment = (Payment.objects.select_related("dossier").filter(gateway=gateway, reference=outcome.reference)
                   .first())
    services.callback_conclude(callback=callback, signature_ok=outcome.signature_ok, outcome=Outcome.SHOWN,
                               payment=payment)
    if payment is None:
        return render(request, "payments/return.html", {"invalid": True}, status=400)
    # Until the webhook has spoken, the page refreshes itself (the return proves nothing on its own).
    waiting = payment.status == PaymentStatus.PENDING
    return render(request, "payments/return.html", {
        "payment": payment, "dossier": payment.dossier, "waiting": waiting, "outcome": outcome,
        "is_owner": dossier_access(user=request.user, dossier=payment.dossier),
    })
