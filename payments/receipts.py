"""The electronic receipt (biên lai điện tử) of a paid fee, as a PDF."""

from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy

from common import pdf as layout
from common.formats import vnd_plain
from dossiers.pdf import lookup_url
from notifications.attachments import attachment_builder
from signatures.services import document_issue

from .constants import PaymentStatus
from .gateways.registry import get_gateway
from .models import Payment
from .selectors import dossier_fee_lines

# The e-receipt's labels, in their own context: "Mẫu số" here is a form number, not the index's denominator.
TITLE = pgettext_lazy("e-receipt", "BIÊN LAI THU PHÍ, LỆ PHÍ")
ELECTRONIC = pgettext_lazy("e-receipt", "Biên lai điện tử")
FORM = pgettext_lazy("e-receipt", "Mẫu số")
SERIES = pgettext_lazy("e-receipt", "Ký hiệu")
NUMBER = pgettext_lazy("e-receipt", "Số")
COLLECTOR = pgettext_lazy("e-receipt", "Đơn vị thu")
ACCOUNT = pgettext_lazy("e-receipt", "Tài khoản nhận")
PAYER = pgettext_lazy("e-receipt", "Người nộp")
ADDRESS = pgettext_lazy("e-receipt", "Địa chỉ")
DOSSIER = pgettext_lazy("e-receipt", "Hồ sơ")
METHOD = pgettext_lazy("e-receipt", "Hình thức thanh toán")
ONLINE = pgettext_lazy("e-receipt", "trực tuyến")
REFERENCE = pgettext_lazy("e-receipt", "Mã giao dịch")
GATEWAY_ID = pgettext_lazy("e-receipt", "Mã giao dịch tại cổng thanh toán")
PAID_AT = pgettext_lazy("e-receipt", "Thời điểm thanh toán")
ROW = pgettext_lazy("e-receipt", "STT")
ITEM = pgettext_lazy("e-receipt", "Nội dung thu")
AMOUNT = pgettext_lazy("e-receipt", "Số tiền (đồng)")
TOTAL = pgettext_lazy("e-receipt", "Tổng cộng")
REFUNDED_ALL = pgettext_lazy("e-receipt", "ĐÃ HOÀN TRẢ TOÀN BỘ")
REFUNDED_PART = pgettext_lazy("e-receipt", "ĐÃ HOÀN TRẢ MỘT PHẦN")
REFUND_ID = pgettext_lazy("e-receipt", "mã hoàn tại cổng")
REASON = pgettext_lazy("e-receipt", "Lý do")
VALID = pgettext_lazy("e-receipt", "Biên lai điện tử có giá trị như biên lai giấy. Quét mã QR để tra cứu hồ sơ.")
DOSSIER_CODE = pgettext_lazy("e-receipt", "Mã hồ sơ")


def _both(message) -> str:
    """A label in Vietnamese, followed by the reader's language in parentheses when that is another.

    An e-receipt is written in Vietnamese; a foreign language may be added beside it in parentheses (Decree
    123/2020/NĐ-CP on invoices and receipts, art. 10 cl. 13), so an English reader's copy stays a valid receipt.
    `message` is a lazy message whose source is Vietnamese.
    """
    with translation.override("vi"):
        vietnamese = str(message)
    foreign = str(message)
    return vietnamese if foreign == vietnamese else f"{vietnamese} ({foreign})"


def receipt_number_line(payment: Payment) -> str:
    """The receipt's number, with the form and series of its book when it has one."""
    number = f"{_both(NUMBER)}: {payment.receipt_number}"
    if not payment.receipt_series_id:
        return number
    series = payment.receipt_series
    return f"{_both(FORM)}: {series.form_number}    {_both(SERIES)}: {series.symbol}    {number}"


def receipt_payment_lines(payment: Payment) -> list[str]:
    """Who collected what from whom, how and when: the e-receipt's first paragraph."""
    dossier, agency = payment.dossier, payment.dossier.agency
    lines = [
        (COLLECTOR, agency.name),
        (ACCOUNT, f"{agency.bank_account_name or '—'} — {agency.bank_account_number or '—'} — {agency.bank_name or '—'}"),
        (PAYER, dossier.applicant_name),
        (ADDRESS, dossier.applicant_full_address),
        (DOSSIER, f"{dossier.code} — {dossier.procedure.name}"),
        (METHOD, f"{_both(ONLINE)} — {_both(get_gateway(payment.gateway).label)}"),
        (REFERENCE, payment.reference),
        (GATEWAY_ID, payment.gateway_transaction_id or "—"),
        (PAID_AT, f"{timezone.localtime(payment.paid_at):%H:%M:%S %d/%m/%Y}"),
    ]
    return [f"{_both(label)}: {value}" for label, value in lines]


def receipt_fee_rows(payment: Payment) -> list[tuple[str, str, str]]:
    """The fees collected, numbered, and their total."""
    rows = [(str(n), f"{_both(line.kind_label)}: {line.name}", vnd_plain(line.amount))
            for n, line in enumerate(dossier_fee_lines(dossier=payment.dossier), start=1)]
    return [*rows, ("", _both(TOTAL), vnd_plain(payment.amount))]


def receipt_refund_lines(refunds) -> list[str]:
    """Each refund accepted by the gateway, oldest first."""
    return [f"- {timezone.localtime(refund.created_at):%d/%m/%Y}: {vnd_plain(refund.amount)} đồng; "
            f"{_both(REFUND_ID)}: {refund.gateway_transaction_id or '—'}; {_both(REASON)}: {refund.reason}"
            for refund in sorted(refunds, key=lambda r: r.created_at)]


def payment_receipt_pdf(*, payment: Payment) -> bytes:
    """Render the e-receipt of a paid payment, its labels also in the active language; signed once for what it
    says (a refund or another language: signed anew)."""
    dossier = payment.dossier
    pdf = layout.pdf_document(title=f"Biên lai điện tử {payment.receipt_number}", created=payment.paid_at)
    layout.pdf_letterhead(pdf, agency_name=dossier.agency.name, moment=payment.paid_at)
    layout.pdf_title(pdf, _both(TITLE).replace(" (", "\n(", 1), f"({_both(ELECTRONIC)})", receipt_number_line(payment))
    layout.pdf_rows(pdf, receipt_payment_lines(payment))
    pdf.ln(2)
    layout.pdf_table(pdf, widths=(10, 60, 30), align=("CENTER", "LEFT", "RIGHT"),
              header=(_both(ROW), _both(ITEM), _both(AMOUNT)), rows=receipt_fee_rows(payment))
    refunds = [r for r in payment.refunds.all() if r.accepted]
    if refunds:
        state = _both(REFUNDED_ALL if payment.status == PaymentStatus.REFUNDED else REFUNDED_PART)
        layout.pdf_heading(pdf, f"{state}: {vnd_plain(payment.refunded_amount)} đồng")
        layout.pdf_rows(pdf, receipt_refund_lines(refunds), size=10)
    note = f"{_both(VALID)}\n{_both(DOSSIER_CODE)}: {dossier.code}"
    layout.pdf_qr_note(pdf, url=lookup_url(dossier), note=note, size=28)
    return document_issue(agency_id=dossier.agency_id, data=bytes(pdf.output()),
                         reason=f"Biên lai điện tử {payment.receipt_number}")


def receipt_filename(payment: Payment) -> str:
    if payment.receipt_series_id:
        return f"bien-lai-{payment.receipt_series.symbol}-{payment.receipt_number}.pdf"
    return f"bien-lai-{payment.receipt_number or payment.reference}.pdf"


@attachment_builder
def receipt_attachment(*, payment_id: int):
    """Attachment builder for the payment e-mail (notifications outbox)."""
    payment = Payment.objects.select_related(
        "dossier__agency", "dossier__procedure", "dossier__owner", "receipt_series").get(pk=payment_id)
    with translation.override(payment.dossier.owner.language or "vi"):  # the e-mail's reader's, as its text
        return receipt_filename(payment), payment_receipt_pdf(payment=payment), "application/pdf"
