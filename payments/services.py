"""Writes of the payments app: the fee snapshot, starting a payment, settling it, callbacks, refunds.

Lock order everywhere: the dossier row first, then its payments. payment_start and payment_settle both
touch both rows; taking them in one order keeps PostgreSQL from deadlocking a click against a webhook.
"""

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.constants import FEE_PAID, DossierStatus, FeeStatus
from common.client import client_ip
from common.events import PAYMENT_MOVED
from dossiers.models import Dossier
from dossiers.notes import system_note
from dossiers.selectors import dossier_access
from dossiers.services import dossier_fee_move, dossier_mark_paid
from dossiers.workflow import FEE_TRANSITIONS, PAY_CLOSED, dossier_payable
from notifications.services import email_queue
from procedures.models import Agency

from .constants import (
    FINAL,
    MONEY_RECEIVED,
    REFERENCE_PREFIX,
    REFUNDABLE,
    CallbackKind,
    Outcome,
    PaymentSource,
    PaymentStatus,
    RefundStatus,
)
from .gateways.base import GatewayError, GatewayOutcome, PaymentRedirect, RefundResult, WebhookCode, without_nul
from .gateways.registry import get_gateway
from .models import DossierFeeLine, GatewayCallback, Payment, PaymentEvent, ReceiptSeries, Refund
from .receipts import receipt_attachment
from .workflow import sources

logger = logging.getLogger(__name__)

HEADER_NAMES = ("CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_HOST")


# --- The one write of a payment's status ----------------------------------------------------------


def payment_move(*, payments: QuerySet[Payment], to: str, source: str, actor=None,
                 callback: GatewayCallback | None = None, **fields) -> int:
    """Move to `to` those of `payments` that workflow.TRANSITIONS lets go there; return how many moved.

    The rows that may move are locked, moved by a guarded UPDATE and each given its PaymentEvent (`source`: what
    moved it, `actor`: who, `callback`: the gateway's call), all in one transaction: of two writers racing on a
    payment (two copies of an IPN, a webhook and the reconciliation, a click and the expiry), the second waits, then
    finds the state changed and moves nothing, so a move has exactly one event.
    Each move is emitted as payment.moved (common.events), in the same transaction.
    """
    with transaction.atomic(savepoint=False):
        rows = list(payments.filter(status__in=sources(to)).select_for_update(of=("self",)).order_by("pk")
                    .values_list("pk", "status", "dossier_id", "dossier__owner_id"))
        by_origin: dict[str, list[int]] = {}
        for pk, origin, *_dossier_and_owner in rows:
            by_origin.setdefault(origin, []).append(pk)
        for origin, pks in by_origin.items():
            if Payment.objects.filter(pk__in=pks, status=origin).update(status=to, **fields) != len(pks):
                raise RuntimeError(f"payments {pks} changed under their lock")  # pragma: no cover
        now = timezone.now()
        PaymentEvent.objects.bulk_create([
            PaymentEvent(payment_id=pk, source=source, from_status=origin, to_status=to, actor=actor,
                         callback=callback, created_at=now)
            for pk, origin, *_dossier_and_owner in rows
        ])
        for pk, _origin, dossier_id, owner_id in rows:
            PAYMENT_MOVED.emit(payment_id=pk, dossier_id=dossier_id, owner_id=owner_id)
    return len(rows)


def _payment_open(*, dossier: Dossier, user, gateway: str, bank_code: str, now) -> Payment:
    """Create the dossier's pending payment, with its first event; the fee is now waiting for the gateway."""
    payment = Payment.objects.create(
        dossier=dossier, gateway=gateway, reference=_reference(), amount=dossier.fee_total, bank_code=bank_code,
        created_at=now, expires_at=now + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES),
    )
    PaymentEvent.objects.create(payment=payment, source=PaymentSource.CITIZEN, to_status=PaymentStatus.PENDING,
                                actor=user, created_at=now)
    PAYMENT_MOVED.emit(payment_id=payment.pk, dossier_id=dossier.pk, owner_id=dossier.owner_id)
    if dossier.payment_status == FeeStatus.UNPAID:
        dossier_fee_move(dossier=dossier, to=FeeStatus.PENDING, actor=user)
    return payment


def _fee_owed_again(*, dossier_id: int) -> None:
    """A payment ended without success: the fee is owed again, unless another payment of it is still pending."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    if (dossier.payment_status == FeeStatus.PENDING
            and not Payment.objects.filter(dossier_id=dossier_id, status=PaymentStatus.PENDING).exists()):
        dossier_fee_move(dossier=dossier, to=FeeStatus.UNPAID)


def _fee_after_refund(*, dossier: Dossier, actor=None) -> None:
    """Move the fee to what the refunds left of it: all kept (a second payment given back), part, or nothing.

    Kept is what the payments with money received still hold, plus the fee itself when it was paid at the
    counter (a gateway's late success after that is a second payment)."""
    kept = sum(p.amount - p.refunded_amount for p in Payment.objects.filter(dossier=dossier, status__in=MONEY_RECEIVED))
    if dossier.payment_status in FEE_PAID and not dossier.paid_online:
        kept += dossier.fee_total
    to = (FeeStatus.PAID if kept >= dossier.fee_total else FeeStatus.PARTLY_REFUNDED if kept > 0
          else FeeStatus.REFUNDED)
    if (dossier.payment_status, to) in FEE_TRANSITIONS:
        dossier_fee_move(dossier=dossier, to=to, actor=actor)


# --- What is owed -------------------------------------------------------------------------------


def dossier_fees_snapshot(*, dossier: Dossier) -> list[DossierFeeLine]:
    """Copy the procedure's fee items onto a submitted dossier, once; later runs change nothing."""
    existing = list(DossierFeeLine.objects.filter(dossier=dossier))
    if existing or dossier.status == DossierStatus.DRAFT:
        return existing
    lines = [DossierFeeLine(dossier=dossier, kind=fee.kind, name=fee.name, amount=fee.amount, position=n)
             for n, fee in enumerate(dossier.procedure.fees.all())]
    return DossierFeeLine.objects.bulk_create(lines)


# --- Starting a payment -------------------------------------------------------------------------


@dataclass(frozen=True)
class StartedPayment:
    payment: Payment
    redirect: PaymentRedirect


def _reference() -> str:
    return f"{REFERENCE_PREFIX}{timezone.localtime():%y%m%d}{secrets.token_hex(5).upper()}"


def payments_expire_due(*, dossier_id: int | None = None, now=None) -> int:
    """Close pending payments whose time is up, one dossier at a time (its row locked first, as everywhere), and
    make their fees owed again; return how many were closed."""
    now = now or timezone.now()
    due = Payment.objects.filter(status=PaymentStatus.PENDING, expires_at__lte=now)
    dossier_ids = [dossier_id] if dossier_id is not None else sorted(set(due.values_list("dossier_id", flat=True)))
    closed = 0
    for pk in dossier_ids:
        with transaction.atomic():
            Dossier.objects.select_for_update().filter(pk=pk).first()
            moved = payment_move(payments=due.filter(dossier_id=pk), to=PaymentStatus.EXPIRED,
                                 source=PaymentSource.EXPIRY, finished_at=now,
                                 result_message="Hết thời gian chờ thanh toán")
            if moved:
                _fee_owed_again(dossier_id=pk)
            closed += moved
    return closed


def payment_start(*, dossier: Dossier, user, gateway: str, bank_code: str = "", return_url: str, ipn_url: str,
                  client_ip: str) -> StartedPayment:
    """Open (or reuse) the dossier's pending payment and ask the gateway where to send the payer.

    Two clicks or two tabs get the same pending payment: the dossier row is locked while we look,
    and the database allows one pending payment per dossier.
    """
    plugin = get_gateway(gateway)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if not dossier_access(user=user, dossier=locked, write=True, lock=True):
            raise ValidationError(_("Không tìm thấy hồ sơ."), code="owner")
        if not dossier_payable(locked):
            if locked.status in PAY_CLOSED:  # which words to say; the rule is dossier_payable
                raise ValidationError(_("Hồ sơ ở trạng thái này không thể thanh toán trực tuyến."), code="state")
            raise ValidationError(_("Hồ sơ này không còn khoản phí, lệ phí nào phải thanh toán."), code="nothing_owed")
        now = timezone.now()
        payments_expire_due(dossier_id=locked.pk, now=now)
        payment = Payment.objects.filter(dossier=locked, status=PaymentStatus.PENDING).first()
        if payment is not None and (payment.gateway != gateway or payment.bank_code != bank_code
                                    or payment.amount != locked.fee_total):
            # The payer chose another way to pay: the old attempt is abandoned (a late success is still honoured).
            payment_move(payments=Payment.objects.filter(pk=payment.pk), to=PaymentStatus.CANCELLED, finished_at=now,
                         source=PaymentSource.CITIZEN, actor=user,
                         result_message="Người nộp chọn cách thanh toán khác")
            payment = None
        if payment is None:
            payment = _payment_open(dossier=locked, user=user, gateway=gateway, bank_code=bank_code, now=now)
    if payment.raw_outcome.get("redirect_url"):
        return StartedPayment(payment, PaymentRedirect(url=payment.raw_outcome["redirect_url"]))
    redirect = plugin.start_payment(
        payment_ref=payment.reference, amount=payment.amount,
        order_info=f"Thanh toan phi, le phi ho so {locked.code}", return_url=return_url, ipn_url=ipn_url,
        client_ip=client_ip, bank_code=bank_code, created_at=payment.created_at,
    )
    if redirect.method == "GET":
        # The same signed address serves a second click (MoMo refuses a second create of one orderId).
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            raw_outcome={"redirect_url": redirect.url})
    return StartedPayment(payment, redirect)


# --- Callbacks ----------------------------------------------------------------------------------


def _body_text(request: HttpRequest) -> str:
    try:
        return request.body.decode("utf-8", "replace")[:20000]
    except (RequestDataTooBig, RawPostDataException):  # past the size limit: the call is kept without it
        return ""


def callback_record(*, gateway: str, kind: str, request: HttpRequest) -> GatewayCallback:
    """Store a callback exactly as it came, committed at once, before anything judges it."""
    headers = {name: request.META[name] for name in HEADER_NAMES if name in request.META}
    with transaction.atomic():
        return GatewayCallback.objects.create(
            gateway=gateway[:20], kind=kind, method=request.method[:8], headers=without_nul(headers),
            query=without_nul(request.META.get("QUERY_STRING", "")[:20000]),
            body=without_nul(_body_text(request)) if request.method == "POST" else "",
            client_address=client_ip(request)[:64],
        )


def callback_conclude(*, callback: GatewayCallback, signature_ok: bool | None, outcome: str,
                      payment: Payment | None = None) -> None:
    """Write the verdict on a stored callback (the one write it gets; the payload is never touched)."""
    GatewayCallback.objects.filter(pk=callback.pk, outcome="").update(
        signature_ok=signature_ok, outcome=outcome, payment=payment)


def payment_webhook_handle(*, gateway: str, request: HttpRequest, callback: GatewayCallback) -> WebhookCode:
    """Judge a webhook: signature → order → amount → state; settle the payment. Never raises on bad input."""
    parsed = get_gateway(gateway).verify_webhook(request)
    return payment_outcome_apply(gateway=gateway, outcome=parsed, callback=callback)


def payment_outcome_apply(*, gateway: str, outcome: GatewayOutcome, callback: GatewayCallback) -> WebhookCode:
    """Check a signed gateway statement against our payment and settle it (webhook and reconciliation)."""
    if not outcome.signature_ok:
        code, payment = WebhookCode.BAD_SIGNATURE, None
    else:
        payment = Payment.objects.filter(gateway=gateway, reference=outcome.reference).first()
        if payment is None:
            code = WebhookCode.UNKNOWN_ORDER
        elif outcome.amount_vnd != payment.amount:
            code = WebhookCode.WRONG_AMOUNT
        else:
            code = payment_settle(payment=payment, outcome=outcome, callback=callback)
    callback_conclude(callback=callback, signature_ok=outcome.signature_ok, outcome=code.value, payment=payment)
    return code


def payment_settle(*, payment: Payment, outcome: GatewayOutcome, callback: GatewayCallback) -> WebhookCode:
    """Apply a verified outcome: paid exactly once, whatever the order and number of callbacks.

    `callback` is the gateway's call that said it (an IPN, or our status query): the move's event names it.

    A success the gateway confirms after we recorded a failure or an expiry is honoured: the money moved.
    A failure after a success changes nothing.
    """
    if outcome.success and payment.status not in sources(PaymentStatus.PAID):
        return WebhookCode.ALREADY_FINAL  # a repeated success: PAID never goes back, no lock needed to say so
    now = timezone.now()
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=payment.dossier_id).first()
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if outcome.success:
            if locked.status not in sources(PaymentStatus.PAID):
                return WebhookCode.ALREADY_FINAL
            # Under the payment's lock, only the one callback that makes it paid gets here: the receipt number
            # is taken once, in this transaction, so a rollback gives it back and the series has no gap.
            series, number = receipt_number_allocate(agency_id=locked.dossier.agency_id,
                                                     year=timezone.localtime(now).year)
            updated = payment_move(
                payments=Payment.objects.filter(pk=locked.pk), to=PaymentStatus.PAID,
                source=callback.kind, callback=callback,
                paid_at=now, finished_at=now,
                receipt_series=series, receipt_number=number,
                gateway_transaction_id=outcome.transaction_id[:64] or None,
                result_code=outcome.code[:10],
                result_message=outcome.message[:255], raw_outcome=outcome.raw,
            )
            if not updated:  # pragma: no cover - the lock above makes the status check final
                raise RuntimeError(f"payment {locked.reference} changed under its lock")
            if locked.status != PaymentStatus.PENDING:
                logger.warning("payment %s confirmed paid after being %s", locked.reference, locked.status)
            note = system_note("paid_online", gateway=get_gateway(locked.gateway).label, reference=locked.reference)
            dossier_mark_paid(dossier=locked.dossier, online=True, note=note)
            _queue_receipt_email(payment_id=locked.pk)
            return WebhookCode.ACCEPTED
        if locked.status in FINAL:
            return WebhookCode.ALREADY_FINAL
        if outcome.final_failure:
            payment_move(
                payments=Payment.objects.filter(pk=locked.pk), to=outcome.status,
                source=callback.kind, callback=callback,
                finished_at=now,
                result_code=outcome.code[:10],
                result_message=outcome.message[:255], raw_outcome=outcome.raw,
            )
            _fee_owed_again(dossier_id=locked.dossier_id)
    return WebhookCode.ACCEPTED


def receipt_series_for(*, agency_id: int, year: int) -> ReceiptSeries:
    """The agency's series for the year, made on first use from its previous year's form and symbol."""
    previous = ReceiptSeries.objects.filter(agency_id=agency_id, year__lt=year).order_by("-year").first()
    defaults = {
        "form_number": previous.form_number if previous else settings.RECEIPT_FORM_NUMBER,
        "symbol": (previous.symbol.replace(f"{previous.year % 100:02d}", f"{year % 100:02d}", 1) if previous
                   else settings.RECEIPT_SYMBOL.format(yy=f"{year % 100:02d}")),
    }
    return ReceiptSeries.objects.get_or_create(agency_id=agency_id, year=year, defaults=defaults)[0]


def receipt_number_allocate(*, agency_id: int, year: int) -> tuple[ReceiptSeries, str]:
    """Take the next number of the agency's series for the year, under the series' row lock
    (call inside the transaction that records the payment as paid)."""
    series = ReceiptSeries.objects.select_for_update().filter(agency_id=agency_id, year=year).first()
    if series is None:  # the year's first receipt of this agency
        series_id = receipt_series_for(agency_id=agency_id, year=year).pk
        series = ReceiptSeries.objects.select_for_update().get(pk=series_id)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series, f"{series.last_number:07d}"


def receipt_number_marks() -> list[dict]:
    """The last receipt number of each agency's series per year, as an operator keeps it across a restore."""
    rows = ReceiptSeries.objects.select_related("agency").order_by("agency__code", "year")
    return [{"agency": row.agency.code, "year": row.year, "last": row.last_number} for row in rows]


def receipt_series_raise(*, marks: list[dict]) -> int:
    """Raise each agency's series for a year to at least the mark; return how many series were raised.

    Receipts issued after a restore's target time are lost with it, but payers hold them (e-mailed PDFs): a number
    must never be given twice in a series. A mark never lowers a series.
    """
    agencies = dict(Agency.objects.filter(code__in={m["agency"] for m in marks}).values_list("code", "pk"))
    raised = 0
    with transaction.atomic():
        for mark in marks:
            if mark["agency"] not in agencies:
                continue
            receipt_series_for(agency_id=agencies[mark["agency"]], year=mark["year"])
            raised += ReceiptSeries.objects.filter(agency_id=agencies[mark["agency"]], year=mark["year"],
                                                   last_number__lt=mark["last"]).update(last_number=mark["last"])
    return raised


def _queue_receipt_email(*, payment_id: int) -> None:
    payment = Payment.objects.select_related("dossier__owner", "dossier__agency", "dossier__procedure").get(pk=payment_id)
    dossier = payment.dossier
    email_queue(
        to=dossier.recipient_email, template="emails/payment_paid", kind="payment_paid", reference=dossier.code,
        context={"payment": payment, "dossier": dossier, "gateway_label": get_gateway(payment.gateway).label},
        attachment=(receipt_attachment, {"payment_id": payment.pk}),
        language=dossier.owner.language,
    )


# --- Reconciliation -----------------------------------------------------------------------------


def payments_reconcile(*, older_than: timedelta | None = None, now=None) -> dict[str, int]:
    """Ask the gateways about payments still pending after a while; settle them; close the expired ones."""
    now = now or timezone.now()
    older_than = older_than if older_than is not None else timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    counts = {"asked": 0, "paid": 0, "closed": 0, "errors": 0}
    pending = Payment.objects.filter(status=PaymentStatus.PENDING, created_at__lte=now - older_than)
    for payment in pending.order_by("created_at")[: settings.PAYMENT_RECONCILE_BATCH]:
        counts["asked"] += 1
        try:
            outcome = get_gateway(payment.gateway).query_status(
                payment_ref=payment.reference, created_at=payment.created_at)
        except GatewayError as exc:
            logger.warning("reconciliation of %s: %s", payment.reference, exc)
            counts["errors"] += 1
            continue
        callback = GatewayCallback.objects.create(
            gateway=payment.gateway, kind=CallbackKind.QUERY, method="POST",
            body=json.dumps(outcome.raw, ensure_ascii=False, default=str)[:20000],
        )
        if not (outcome.success or outcome.final_failure):
            callback_conclude(callback=callback, signature_ok=outcome.signature_ok, outcome=Outcome.STILL_PENDING,
                              payment=payment)
            continue
        try:
            payment_outcome_apply(gateway=payment.gateway, outcome=outcome, callback=callback)
        except Exception:
            logger.exception("reconciliation of %s failed", payment.reference)
            callback_conclude(callback=callback, signature_ok=outcome.signature_ok, outcome=Outcome.UNEXPECTED)
            counts["errors"] += 1
            continue
        payment.refresh_from_db(fields=["status"])
        counts["paid"] += payment.status == PaymentStatus.PAID
    counts["closed"] = payments_expire_due(now=now)
    return counts


# --- Refunds ------------------------------------------------------------------------------------


def payment_refund(*, payment: Payment, amount: int, reason: str, user) -> Refund:
    """Give back part or all of a paid fee through the gateway; the citizen is told by e-mail.

    The refund is recorded first (REQUESTED, one at a time per payment, within what remains), then the gateway
    is asked without holding a lock, then its answer moves the refund and the payment (payments/workflow.py).
    Raise ValidationError, with a message for the accountant, when the refund cannot be asked.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Vui lòng nhập lý do hoàn tiền."), code="reason")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status not in REFUNDABLE or not locked.gateway_transaction_id:
            raise ValidationError(_("Giao dịch “%(ref)s” không còn khoản nào để hoàn (trạng thái: %(status)s)."),
                                  params={"ref": locked.reference, "status": locked.get_status_display()},
                                  code="not_refundable")
        if locked.refunds.filter(status=RefundStatus.REQUESTED).exists():
            raise ValidationError(_("Giao dịch này đang có một yêu cầu hoàn tiền chờ cổng thanh toán trả lời."),
                                  code="pending")
        remaining = locked.amount - locked.refunded_amount
        if not 0 < amount <= remaining:
            raise ValidationError(_("Số tiền hoàn phải từ 1 đến %(max)s đồng."), params={"max": f"{remaining:,}".replace(",", ".")},
                                  code="amount")
        refund = Refund.objects.create(payment=locked, amount=amount, reason=reason[:255], requested_by=user)
        PAYMENT_MOVED.emit(payment_id=locked.pk, dossier_id=locked.dossier_id, owner_id=locked.dossier.owner_id)
    try:
        result = get_gateway(locked.gateway).refund(
            payment_ref=locked.reference, amount=amount, transaction_id=locked.gateway_transaction_id,
            created_at=locked.created_at, reason=reason, requested_by=user.email,
            full=amount == locked.amount,
        )
    except GatewayError as exc:
        logger.warning("refund of %s: gateway unreachable: %s", locked.reference, exc)
        result = RefundResult(signature_ok=False, accepted=False, code="", message=f"Cổng không trả lời: {exc}"[:255])
    return _refund_conclude(refund=refund, result=result)


def _refund_conclude(*, refund: Refund, result: RefundResult) -> Refund:
    with transaction.atomic():
        # The dossier's row first (its fee moves too), then the payment's, as everywhere.
        dossier_id = Payment.objects.filter(pk=refund.payment_id).values_list("dossier_id", flat=True).get()
        Dossier.objects.select_for_update().filter(pk=dossier_id).first()
        locked = Payment.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=refund.payment_id)
        status = RefundStatus.ACCEPTED if result.accepted else RefundStatus.REFUSED
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.REQUESTED).update(
            status=status, gateway_code=result.code[:10], gateway_message=result.message[:255],
            gateway_transaction_id=result.transaction_id[:64], raw=result.raw,
        )
        PAYMENT_MOVED.emit(payment_id=locked.pk, dossier_id=locked.dossier_id, owner_id=locked.dossier.owner_id)
        if result.accepted:
            refunded = locked.refunded_amount + refund.amount
            to = PaymentStatus.REFUNDED if refunded >= locked.amount else PaymentStatus.PARTLY_REFUNDED
            same = Payment.objects.filter(pk=locked.pk, refunded_amount=locked.refunded_amount)
            if to == locked.status:  # another part, some still left: no change of status, only the amount grows
                same.filter(status=to).update(refunded_amount=refunded)
            else:
                payment_move(payments=same, to=to, source=PaymentSource.REFUND, actor=refund.requested_by,
                             refunded_amount=refunded)
            _fee_after_refund(dossier=locked.dossier, actor=refund.requested_by)
            refund.refresh_from_db()
            email_queue(
                to=locked.dossier.recipient_email, template="emails/payment_refunded", kind="payment_refunded",
                context={"refund": refund, "payment": Payment.objects.get(pk=locked.pk), "dossier": locked.dossier,
                         "gateway_label": get_gateway(locked.gateway).label},
                language=locked.dossier.owner.language,
            )
    refund.refresh_from_db()
    return refund
