"""The citizen's payment pages: what is owed, starting a payment, the browser return, the e-receipt."""

from urllib.parse import parse_qs, urlsplit

import pytest

from dossiers.constants import DossierStatus, FeeStatus
from payments.constants import CallbackKind, Outcome, PaymentStatus
from payments.gateways.base import GatewayError
from payments.models import GatewayCallback, Payment
from tests.factories.payments import FEE
from tests.payments.ipn import success_ipn, vnpay_params, vnpay_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_client(client, owed):
    client.force_login(owed.owner)
    return client


def pay(client, dossier, **data):
    return client.post(f"/thanh-toan/ho-so/{dossier.code}/", data={"gateway": "vnpay", **data})


def test_transactions_list_shows_amounts_attempts_and_the_pay_button(citizen_client, owed, open_payment, build):
    failed = open_payment(owed, "momo", status=PaymentStatus.CANCELLED)
    build.dossier(procedure=owed.procedure, fee_total=99_000, payment_status=FeeStatus.UNPAID)  # not hers
    response = citizen_client.get("/thanh-toan/")
    page = response.content.decode()
    assert response.status_code == 200
    assert owed.code in page and "150.000 đ" in page and "Chưa thanh toán" in page
    assert "Thanh toán phí/lệ phí" in page and f"/thanh-toan/ho-so/{owed.code}/" in page
    assert failed.reference in page and "Đã hủy" in page and "Ví điện tử MoMo" in page
    assert "99.000 đ" not in page


def test_transactions_needs_login(client):
    response = client.get("/thanh-toan/")
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_fee_items_are_fixed_at_submission(client, build):
    from dossiers.services import dossier_submit
    from payments.models import DossierFeeLine
    from procedures.models import FeeItem

    procedure = build.procedure(fees=(100_000, 50_000))
    draft = build.ready_draft(procedure=procedure)
    dossier = dossier_submit(dossier=draft, user=draft.owner)
    FeeItem.objects.filter(procedure=procedure).update(amount=1)  # the catalogue changes later

    assert dossier.fee_total == 150_000
    assert list(DossierFeeLine.objects.filter(dossier=dossier).values_list("amount", flat=True)) == [100_000, 50_000]
    client.force_login(dossier.owner)
    page = client.get(f"/thanh-toan/ho-so/{dossier.code}/").content.decode()
    assert "100.000 đ" in page and "50.000 đ" in page and "150.000 đ" in page


def test_fee_detail_shows_the_agency_account_and_both_choices(citizen_client, owed):
    page = citizen_client.get(f"/thanh-toan/ho-so/{owed.code}/").content.decode()
    assert "Văn phòng Sở thử nghiệm" in page and "0123456789" in page and "Vietcombank chi nhánh Kon Tum" in page
    assert "Ngân hàng" in page and "Ví điện tử" in page
    assert "Quét mã QR" in page and "Thẻ thanh toán quốc tế" in page and "Thẻ ATM" in page and "Agribank" in page


def test_another_citizens_dossier_is_404(client, owed, build):
    client.force_login(build.citizen())
    assert client.get(f"/thanh-toan/ho-so/{owed.code}/").status_code == 404
    assert pay(client, owed).status_code == 404
    assert not Payment.objects.exists()


def test_exempt_dossier_owes_nothing(client, build):
    dossier = build.dossier(fee_total=50_000, fee_exempt=True, payment_status=FeeStatus.NOT_REQUIRED)
    client.force_login(dossier.owner)
    page = pay(client, dossier).content.decode()
    assert "Được miễn phí, lệ phí" in page and "pay-button" not in page
    assert not Payment.objects.exists()


def test_vnpay_start_redirects_to_the_signed_payment_url(citizen_client, owed, settings):
    response = pay(citizen_client, owed, method="VNBANK", bank="NCB")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert response["Location"].startswith(settings.VNPAY_PAYMENT_URL)
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    payment = Payment.objects.get()
    assert params["vnp_TxnRef"] == payment.reference and params["vnp_Amount"] == str(FEE * 100)
    assert params["vnp_BankCode"] == "NCB" and params["vnp_ReturnUrl"].endswith("/thanh-toan/vnpay/return/")
    assert payment.status == PaymentStatus.PENDING and payment.amount == FEE


def test_two_clicks_reuse_the_pending_payment(citizen_client, owed):
    first = pay(citizen_client, owed, method="VNPAYQR")
    second = pay(citizen_client, owed, method="VNPAYQR")
    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1


def test_another_choice_cancels_the_pending_attempt(citizen_client, owed):
    pay(citizen_client, owed, method="VNPAYQR")
    pay(citizen_client, owed, method="INTCARD")
    assert sorted(Payment.objects.values_list("status", flat=True)) == [PaymentStatus.CANCELLED, PaymentStatus.PENDING]


def test_the_database_refuses_two_pending_payments(owed, open_payment):
    from django.db import IntegrityError, transaction

    open_payment(owed)
    with pytest.raises(IntegrityError), transaction.atomic():
        open_payment(owed)


def test_momo_start_through_the_sandbox(client, owed, gateway_http):
    client.force_login(owed.owner)
    first = pay(client, owed, gateway="momo")
    second = pay(client, owed, gateway="momo")
    assert first.status_code == 302 and "/sandbox/momo/" in first["Location"]
    assert second["Location"] == first["Location"] and len(gateway_http) == 1
    assert Payment.objects.get().gateway == "momo"


def test_gateway_down_shows_a_message_and_keeps_the_choice(citizen_client, owed, monkeypatch):
    def down(*args, **kwargs):
        raise GatewayError("unreachable")

    monkeypatch.setattr("payments.gateways.momo.post_json", down)
    response = pay(citizen_client, owed, gateway="momo")
    page = response.content.decode()
    assert response.status_code == 200 and "Cổng thanh toán tạm thời không phản hồi" in page
    assert 'value="momo" id="gw-momo" checked' in page


def test_invalid_choice_is_explained(citizen_client, owed):
    page = pay(citizen_client, owed, gateway="paypal").content.decode()
    assert "Hình thức thanh toán không hợp lệ." in page
    assert not Payment.objects.exists()


def test_browser_return_never_marks_paid_and_refreshes_until_the_ipn(client, citizen_client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    query = vnpay_query(vnpay_params(payment))
    response = citizen_client.get(f"/thanh-toan/vnpay/return/?{query}")
    page = response.content.decode()
    assert "Giao dịch đang được xử lý" in page and '<meta http-equiv="refresh"' in page
    payment.refresh_from_db()
    owed.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and owed.payment_status == FeeStatus.UNPAID
    stored = GatewayCallback.objects.get()
    assert stored.kind == CallbackKind.RETURN and stored.query == query and stored.outcome == Outcome.SHOWN

    success_ipn(client, payment)
    page = citizen_client.get(f"/thanh-toan/vnpay/return/?{query}").content.decode()
    assert "Thanh toán thành công" in page and "http-equiv" not in page
    assert f"/thanh-toan/bien-lai/{payment.reference}/" in page


def test_browser_return_after_a_cancel_offers_to_pay_again(client, citizen_client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    query = vnpay_query(vnpay_params(payment, response="24", status="02"))
    client.get(f"/thanh-toan/vnpay/ipn/?{query}")
    page = citizen_client.get(f"/thanh-toan/vnpay/return/?{query}").content.decode()
    assert "Thanh toán không thành công" in page and "Thanh toán lại" in page


def test_browser_return_with_a_bad_signature(client):
    response = client.get("/thanh-toan/momo/return/?orderId=KT1&resultCode=0&signature=abc")
    assert response.status_code == 400 and "Không xác định được giao dịch" in response.content.decode()
    assert GatewayCallback.objects.get().signature_ok is False


def test_receipt_pdf_for_the_owner_only(client, citizen_client, owed, open_payment, build):
    payment = open_payment(owed, "momo")
    assert citizen_client.get(f"/thanh-toan/bien-lai/{payment.reference}/").status_code == 404  # not paid yet
    success_ipn(client, payment)
    response = citizen_client.get(f"/thanh-toan/bien-lai/{payment.reference}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    payment.refresh_from_db()
    assert response["Content-Disposition"] == f'attachment; filename="bien-lai-{payment.receipt_series.symbol}-{payment.receipt_number}.pdf"'
    assert response.content.startswith(b"%PDF") and b"DejaVuSans" in response.content
    for char in "ÊỆÍđ":  # BIÊN LAI THU PHÍ, LỆ PHÍ; đồng
        assert f"<{ord(char):04X}>".encode() in response.content, char

    client.force_login(build.citizen())
    assert client.get(f"/thanh-toan/bien-lai/{payment.reference}/").status_code == 404


def test_receipt_is_attached_to_the_email(client, owed, open_payment, mailoutbox, django_capture_on_commit_callbacks):
    payment = open_payment(owed, "vnpay")
    with django_capture_on_commit_callbacks(execute=True):
        success_ipn(client, payment)
    message = mailoutbox[-1]
    assert message.to == [owed.applicant_email] and owed.code in message.subject
    name, content, mimetype = message.attachments[0]
    assert name.startswith("bien-lai-") and mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_dossier_page_links_to_payment_when_owed(citizen_client, owed):
    page = citizen_client.get(f"/ho-so/{owed.code}/").content.decode()
    assert "Thanh toán phí/lệ phí" in page and f"/thanh-toan/ho-so/{owed.code}/" in page


def test_dossier_page_has_no_link_once_paid(client, citizen_client, owed, open_payment):
    success_ipn(client, open_payment(owed, "vnpay"))
    page = citizen_client.get(f"/ho-so/{owed.code}/").content.decode()
    assert f"/thanh-toan/ho-so/{owed.code}/" not in page
    assert DossierStatus(owed.__class__.objects.get(pk=owed.pk).status) == DossierStatus.PROCESSING


def test_transactions_page_query_count(citizen_client, owed, open_payment, build, django_assert_max_num_queries):
    for _ in range(5):
        dossier = build.dossier(procedure=owed.procedure, owner=owed.owner, fee_total=FEE,
                                payment_status=FeeStatus.UNPAID)
        open_payment(dossier, "vnpay")
    with django_assert_max_num_queries(12):
        assert citizen_client.get("/thanh-toan/").status_code == 200


def test_a_bank_picked_on_the_portal_opens_its_card_page_at_the_gateway(sandbox, citizen_client, owed):
    """The citizen picks Vietcombank once, on the portal: VNPay gets vnp_BankCode and shows that bank's card form."""
    response = pay(citizen_client, owed, bank="VIETCOMBANK")  # the method left at "choose at VNPay"
    params = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    assert params["vnp_BankCode"] == "VIETCOMBANK"
    at_gateway = citizen_client.get(response["Location"])
    assert at_gateway.status_code == 302 and at_gateway["Location"].endswith("/the-noi-dia/VIETCOMBANK/")
    card_page = citizen_client.get(at_gateway["Location"]).content.decode()
    assert "Thẻ nội địa — Vietcombank" in card_page


def test_a_bank_with_the_qr_method_is_refused_next_to_the_bank(citizen_client, owed):
    page = pay(citizen_client, owed, method="VNPAYQR", bank="BIDV")
    assert page.status_code == 200
    assert "Chỉ chọn ngân hàng khi thanh toán bằng thẻ ATM" in page.content.decode()
    assert not Payment.objects.exists()


def test_the_e_receipt_prints_the_commune_and_the_province(client, owed, open_payment, monkeypatch):
    from fpdf import FPDF

    from payments.receipts import payment_receipt_pdf

    owed.applicant_address, owed.applicant_province_code, owed.applicant_commune_code = "12 Trần Hưng Đạo", 51, 23293
    owed.save()
    payment = open_payment(owed, "vnpay")
    success_ipn(client, payment)
    payment.refresh_from_db()
    printed, original = [], FPDF.multi_cell
    monkeypatch.setattr(FPDF, "multi_cell", lambda self, w, h=None, text="", *a, **k: (
        printed.append(str(text)), original(self, w, h, text, *a, **k))[1])
    payment_receipt_pdf(payment=payment)
    assert "Địa chỉ: 12 Trần Hưng Đạo, Phường Kon Tum, Quảng Ngãi" in printed
