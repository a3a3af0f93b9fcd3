"""The IPN webhooks of both gateways: verify first, then order → amount → state; paid exactly once."""

import json

import pytest

from dossiers.constants import DossierAction, DossierStatus, FeeStatus
from dossiers.models import DossierEvent
from notifications.models import Email
from payments.constants import CallbackKind, Outcome, PaymentStatus
from payments.models import GatewayCallback
from payments.services import payments_expire_due
from tests.payments.ipn import answer, momo_payload, momo_sign, success_ipn, vnpay_params, vnpay_query

pytestmark = pytest.mark.django_db

# The answer each gateway expects for each verdict (DESIGN.md §6; MoMo's from the plugin).
ANSWERS = {
    "vnpay": {Outcome.ACCEPTED: "00", Outcome.ALREADY_FINAL: "02", Outcome.BAD_SIGNATURE: "97",
              Outcome.UNKNOWN_ORDER: "01", Outcome.WRONG_AMOUNT: "04", Outcome.UNEXPECTED: "99"},
    "momo": {Outcome.ACCEPTED: "204", Outcome.ALREADY_FINAL: "204", Outcome.BAD_SIGNATURE: "13",
             Outcome.UNKNOWN_ORDER: "42", Outcome.WRONG_AMOUNT: "21", Outcome.UNEXPECTED: "99"},
}
GATEWAYS = ["vnpay", "momo"]


def vnpay_ipn(client, query: str):
    return client.get(f"/thanh-toan/vnpay/ipn/?{query}")


def momo_ipn(client, payload):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post("/thanh-toan/momo/ipn/", data=body, content_type="application/json")


def send(client, payment, **changes):
    """A signed IPN for `payment` with `changes` (amount, reference, result), signed after the changes."""
    if payment.gateway == "vnpay":
        return vnpay_ipn(client, vnpay_query(vnpay_params(payment, **changes)))
    momo_changes = {{"amount_hundredths": "amount"}.get(k, k): v for k, v in changes.items()}
    return momo_ipn(client, momo_sign(momo_payload(payment, **momo_changes)))


def last_callback():
    return GatewayCallback.objects.latest("pk")


def assert_verdict(response, gateway, outcome):
    assert response.status_code in (200, 204, 400, 503)
    assert answer(response) == ANSWERS[gateway][outcome]
    assert last_callback().outcome == outcome


def paid_events(dossier):
    return DossierEvent.objects.filter(dossier=dossier, action=DossierAction.MARK_PAID).count()


def receipt_emails():
    return Email.objects.filter(kind="payment_paid")


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_success_marks_payment_and_dossier_paid_and_queues_the_receipt(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway)

    response = success_ipn(client, payment)

    assert_verdict(response, gateway, Outcome.ACCEPTED)
    payment.refresh_from_db()
    owed.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.paid_at and payment.gateway_transaction_id
    assert payment.receipt_number
    assert owed.payment_status == FeeStatus.PAID and owed.paid_online
    assert owed.status == DossierStatus.PROCESSING  # state 6 moves on once paid
    email = receipt_emails().get()
    assert email.to == owed.applicant_email and owed.code in email.subject
    assert email.attachment_builder == "payments.receipts.receipt_attachment"
    callback = last_callback()
    assert callback.kind == CallbackKind.IPN and callback.signature_ok and callback.payment == payment


def test_vnpay_missing_signature(client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    query = vnpay_query(vnpay_params(payment)).rsplit("&vnp_SecureHash=", 1)[0]
    assert_verdict(vnpay_ipn(client, query), "vnpay", Outcome.BAD_SIGNATURE)
    assert last_callback().signature_ok is False
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_momo_missing_signature(client, owed, open_payment):
    payment = open_payment(owed, "momo")
    assert_verdict(momo_ipn(client, momo_payload(payment)), "momo", Outcome.BAD_SIGNATURE)


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_signature_with_another_secret(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway)
    if gateway == "vnpay":
        response = vnpay_ipn(client, vnpay_query(vnpay_params(payment), secret="not-the-merchant-secret"))
    else:
        response = momo_ipn(client, momo_sign(momo_payload(payment), secret="not-the-merchant-secret"))
    assert_verdict(response, gateway, Outcome.BAD_SIGNATURE)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize("field", ["amount", "reference"])
def test_vnpay_tampered_after_signing(client, owed, open_payment, field):
    payment = open_payment(owed, "vnpay")
    other = open_payment(owed, "vnpay", status=PaymentStatus.FAILED)
    query = vnpay_query(vnpay_params(payment))
    if field == "amount":
        query = query.replace(f"vnp_Amount={payment.amount * 100}", f"vnp_Amount={payment.amount}")
    else:
        query = query.replace(f"vnp_TxnRef={payment.reference}", f"vnp_TxnRef={other.reference}")
    assert_verdict(vnpay_ipn(client, query), "vnpay", Outcome.BAD_SIGNATURE)
    assert not receipt_emails().exists()


@pytest.mark.parametrize("field", ["amount", "orderId"])
def test_momo_tampered_after_signing(client, owed, open_payment, field):
    payment = open_payment(owed, "momo")
    payload = momo_sign(momo_payload(payment))
    payload[field] = 1 if field == "amount" else "KTSOMEONEELSE"
    assert_verdict(momo_ipn(client, payload), "momo", Outcome.BAD_SIGNATURE)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_unknown_order(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway)
    response = send(client, payment, reference="KTNOSUCHORDER1")
    assert_verdict(response, gateway, Outcome.UNKNOWN_ORDER)
    assert last_callback().payment is None


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_amount_off_by_one_dong(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway)
    off = (payment.amount + 1) * 100 if gateway == "vnpay" else payment.amount + 1
    assert_verdict(send(client, payment, amount_hundredths=off), gateway, Outcome.WRONG_AMOUNT)
    payment.refresh_from_db()
    owed.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and owed.payment_status == FeeStatus.UNPAID


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_amount_scaled_wrongly(client, owed, open_payment, gateway):
    """VNPay sends VND × 100: an unscaled amount is 100 times too small; MoMo sends VND: × 100 is too big."""
    payment = open_payment(owed, gateway)
    wrong = payment.amount if gateway == "vnpay" else payment.amount * 100
    assert_verdict(send(client, payment, amount_hundredths=wrong), gateway, Outcome.WRONG_AMOUNT)


def test_vnpay_amount_not_whole_dong(client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    assert_verdict(send(client, payment, amount_hundredths=payment.amount * 100 + 50), "vnpay", Outcome.WRONG_AMOUNT)


def test_vnpay_success_code_with_failed_transaction_status(client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    response = send(client, payment, response="00", status="02")
    assert_verdict(response, "vnpay", Outcome.ACCEPTED)
    payment.refresh_from_db()
    owed.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert owed.payment_status == FeeStatus.UNPAID and not receipt_emails().exists()


@pytest.mark.parametrize(("gateway", "failure", "status"), [
    ("vnpay", {"response": "24", "status": "02"}, PaymentStatus.CANCELLED),
    ("vnpay", {"response": "11", "status": "02"}, PaymentStatus.EXPIRED),
    ("vnpay", {"response": "51", "status": "02"}, PaymentStatus.FAILED),
    ("momo", {"result": 1006}, PaymentStatus.CANCELLED),
    ("momo", {"result": 1003}, PaymentStatus.CANCELLED),
    ("momo", {"result": 1005}, PaymentStatus.EXPIRED),
    ("momo", {"result": 1001}, PaymentStatus.FAILED),
    # One gateway's code means nothing to the other: MoMo's 24 is a plain failure.
    ("momo", {"result": 24}, PaymentStatus.FAILED),
])
def test_failure_closes_the_payment(client, owed, open_payment, gateway, failure, status):
    payment = open_payment(owed, gateway)
    assert_verdict(send(client, payment, **failure), gateway, Outcome.ACCEPTED)
    payment.refresh_from_db()
    assert payment.status == status


@pytest.mark.parametrize("gateway", GATEWAYS)
@pytest.mark.parametrize("copies", [2, 10])
def test_the_same_ipn_many_times_changes_once(client, owed, open_payment, gateway, copies):
    payment = open_payment(owed, gateway)
    answers = [answer(success_ipn(client, payment)) for _ in range(copies)]
    assert answers[0] == ANSWERS[gateway][Outcome.ACCEPTED]
    assert set(answers[1:]) == {ANSWERS[gateway][Outcome.ALREADY_FINAL]}
    assert paid_events(owed) == 1 and receipt_emails().count() == 1
    assert GatewayCallback.objects.filter(payment=payment, kind=CallbackKind.IPN).count() == copies


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_failure_after_success_changes_nothing(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway)
    success_ipn(client, payment)
    failure = {"response": "24", "status": "02"} if gateway == "vnpay" else {"result": 1006}
    assert_verdict(send(client, payment, **failure), gateway, Outcome.ALREADY_FINAL)
    payment.refresh_from_db()
    owed.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and owed.payment_status == FeeStatus.PAID


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_success_after_expiry_is_honoured(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway, minutes_ago=60)
    assert payments_expire_due() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED

    assert_verdict(success_ipn(client, payment), gateway, Outcome.ACCEPTED)
    payment.refresh_from_db()
    owed.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and owed.payment_status == FeeStatus.PAID
    assert receipt_emails().count() == 1


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_handler_exception_leaves_the_callback_and_nothing_half_written(client, owed, open_payment, gateway,
                                                                        monkeypatch):
    payment = open_payment(owed, gateway)
    calls = []

    def broken_once(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("database went away")

    from dossiers import services as dossier_services

    monkeypatch.setattr("payments.services.dossier_mark_paid", broken_once)
    response = success_ipn(client, payment)
    assert calls and answer(response) == ANSWERS[gateway][Outcome.UNEXPECTED]
    assert response.status_code in (200, 503)
    assert last_callback().outcome == Outcome.UNEXPECTED
    payment.refresh_from_db()
    owed.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and owed.payment_status == FeeStatus.UNPAID
    assert not receipt_emails().exists()

    monkeypatch.setattr("payments.services.dossier_mark_paid", dossier_services.dossier_mark_paid)
    assert_verdict(success_ipn(client, payment), gateway, Outcome.ACCEPTED)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and receipt_emails().count() == 1
    assert GatewayCallback.objects.filter(kind=CallbackKind.IPN).count() == 2


@pytest.mark.parametrize("query", ["", "vnp_Amount=abc&vnp_TxnRef=%ZZ&vnp_SecureHash=00",
                                   "vnp_Amount=-100&vnp_SecureHash=", "garbage%00%ff==&&"])
def test_vnpay_malformed_query(client, owed, query):
    response = vnpay_ipn(client, query)
    assert response.status_code == 200 and answer(response) == "97"
    assert last_callback().query == query and last_callback().outcome == Outcome.BAD_SIGNATURE


@pytest.mark.parametrize("body", ["", "{", "[1, 2]", "null", '{"amount": "x"}', b"\xff\xfe"])
def test_momo_malformed_json(client, owed, body):
    response = momo_ipn(client, body)
    assert response.status_code == 400 and answer(response) == "13"
    assert last_callback().outcome == Outcome.BAD_SIGNATURE


def test_every_callback_is_stored(client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    vnpay_ipn(client, "x=1")
    send(client, payment, reference="KTNOSUCH")
    success_ipn(client, payment)
    success_ipn(client, payment)
    assert list(GatewayCallback.objects.order_by("pk").values_list("outcome", flat=True)) == [
        Outcome.BAD_SIGNATURE, Outcome.UNKNOWN_ORDER, Outcome.ACCEPTED, Outcome.ALREADY_FINAL]


def test_unknown_gateway_is_404(client):
    assert client.get("/thanh-toan/paypal/ipn/").status_code == 404
    assert client.get("/thanh-toan/paypal/return/").status_code == 404
    assert not GatewayCallback.objects.exists()


def test_ipn_needs_no_csrf_token(owed, open_payment):
    from django.test import Client

    payment = open_payment(owed, "momo")
    response = momo_ipn(Client(enforce_csrf_checks=True), momo_sign(momo_payload(payment)))
    assert response.status_code == 204


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_ipn_query_count(client, owed, open_payment, gateway, django_assert_max_num_queries):
    """Bounded work per webhook: store, verify, lock dossier and payment, take the receipt number (the year's
    first one also creates the agency's series), settle (the payment's rows to move, locked, and its event), the
    dossier's event and its fee's event, two e-mails, and the statistics' day and month rows of the dossier
    recounted under their locks, and the month's running clocks rewritten (reports)."""
    payment = open_payment(owed, gateway)
    # 41 + the payment's rows locked, its event, the fee's event; + the API's changes feed (one upsert) and the
    # citizen's SMS/Zalo choices read beside the e-mail (issues 28, 30).
    with django_assert_max_num_queries(46):
        success_ipn(client, payment)
    with django_assert_max_num_queries(6):
        success_ipn(client, payment)  # a duplicate: stored, judged, answered


# Found by the webhook fuzzing (tests/fuzz/test_webhooks.py).


def test_vnpay_signature_with_non_ascii_characters_is_a_bad_signature(client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    query = vnpay_query(vnpay_params(payment)).rsplit("=", 1)[0] + "=%C3%A9"  # "é" where the hex digest goes
    response = vnpay_ipn(client, query)
    assert answer(response) == "97"  # was 99: hmac.compare_digest raised TypeError on non-ASCII text
    assert GatewayCallback.objects.get().outcome == Outcome.BAD_SIGNATURE


def test_momo_signature_with_non_ascii_characters_is_a_bad_signature(client, owed, open_payment):
    payment = open_payment(owed, "momo")
    response = momo_ipn(client, {**momo_payload(payment), "signature": "chữ ký"})
    assert response.status_code == 400 and answer(response) == "13"  # was 503: MoMo would have sent it forever


@pytest.mark.parametrize("body", [b"\x00\x00\x00", b'{"orderId": "\x00"}'])
def test_callback_with_nul_bytes_is_stored_and_refused(client, owed, body):
    response = momo_ipn(client, body)
    assert response.status_code == 400 and answer(response) == "13"  # was 500 on PostgreSQL (NUL in text)
    callback = GatewayCallback.objects.get()
    assert "\x00" not in callback.body and "\ufffd" in callback.body


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_valid_ipn_with_a_nul_in_free_text_is_settled(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway)
    if gateway == "vnpay":
        response = vnpay_ipn(client, vnpay_query({**vnpay_params(payment), "vnp_OrderInfo": "Thanh toan\x00phi"}))
    else:
        response = momo_ipn(client, momo_sign({**momo_payload(payment), "orderInfo": "Thanh toán\x00phí",
                                               "message": "Thành công\x00"}))
    assert answer(response) in ("00", "204")  # was 99/503 on PostgreSQL: jsonb cannot hold \u0000
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
