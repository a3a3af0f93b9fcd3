"""The electronic receipt (biên lai điện tử) of a paid fee, as a PDF."""

from django.utils import timezone

from common.formats import vnd_plain
from common.pdf import pdf_document, pdf_letterhead, qr_png
from dossiers.pdf import lookup_url
from notifications.attachments import attachment_builder

from .gateways.registry import get_gateway
from .constants import PaymentStatus
from .models import Payment
from .selectors import dossier_fee_lines


def receipt_pdf(*, payment: Payment) -> bytes:
    """Render the e-receipt of a paid payment."""
    dossier = payment.dossier
    pdf = pdf_document(title=f"Biên lai điện tử {payment.receipt_number}")
    width = pdf.epw
    pdf_letterhead(pdf, agency_name=dossier.agency.name, moment=payment.paid_at)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(width, 8, "BIÊN LAI THU PHÍ, LỆ PHÍ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(width, 6, "(Biên lai điện tử)", align="C", new_x="LMARGIN", new_y="NEXT")
    if payment.receipt_series_id:
        series = payment.receipt_series
        pdf.cell(width, 6, f"Mẫu số: {series.form_number}    Ký hiệu: {series.symbol}    Số: {payment.receipt_number}",
                 align="C", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.cell(width, 6, f"Số: {payment.receipt_number}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 11)
    paid = timezone.localtime(payment.paid_at)
    lines = [
        f"Đơn vị thu: {dossier.agency.name}",
        f"Tài khoản nhận: {dossier.agency.bank_account_name or '—'} — số {dossier.agency.bank_account_number or '—'}"
        f" tại {dossier.agency.bank_name or '—'}",
        f"Người nộp: {dossier.applicant_name}",
        f"Địa chỉ: {dossier.applicant_full_address}",
        f"Hồ sơ: {dossier.code} — {dossier.procedure.name}",
        f"Hình thức thanh toán: trực tuyến qua {get_gateway(payment.gateway).label}",
        f"Mã giao dịch: {payment.reference} (tại cổng: {payment.gateway_transaction_id or '—'})",
        f"Thời điểm thanh toán: {paid:%H:%M:%S ngày %d/%m/%Y}",
    ]
    for line in lines:
        pdf.multi_cell(width, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 10)
    with pdf.table(col_widths=(10, 60, 30), text_align=("CENTER", "LEFT", "RIGHT"), line_height=6) as table:
        header = table.row()
        for title in ("STT", "Nội dung thu", "Số tiền (đồng)"):
            header.cell(title)
        for n, line in enumerate(dossier_fee_lines(dossier=dossier), start=1):
            row = table.row()
            row.cell(str(n))
            row.cell(f"{line.kind_label}: {line.name}")
            row.cell(vnd_plain(line.amount))
        total = table.row()
        total.cell("")
        total.cell("Tổng cộng")
        total.cell(vnd_plain(payment.amount))
    refunds = [r for r in payment.refunds.all() if r.accepted]
    if refunds:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        state = "ĐÃ HOÀN TRẢ TOÀN BỘ" if payment.status == PaymentStatus.REFUNDED else "ĐÃ HOÀN TRẢ MỘT PHẦN"
        pdf.multi_cell(width, 6, f"{state}: {vnd_plain(payment.refunded_amount)} đồng", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for refund in sorted(refunds, key=lambda r: r.created_at):
            pdf.multi_cell(width, 6, f"- {timezone.localtime(refund.created_at):%d/%m/%Y}: hoàn {vnd_plain(refund.amount)} "
                                     f"đồng (mã hoàn tại cổng: {refund.gateway_transaction_id or '—'}). Lý do: {refund.reason}",
                           new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    y = pdf.get_y()
    pdf.image(qr_png(lookup_url(dossier)), x=pdf.l_margin, y=y, w=28, h=28)
    pdf.set_xy(pdf.l_margin + 32, y + 2)
    pdf.multi_cell(width - 32, 6, "Biên lai điện tử có giá trị như biên lai giấy. Quét mã QR để tra cứu hồ sơ.\n"
                                  f"Mã hồ sơ: {dossier.code}", align="L")
    return bytes(pdf.output())


def receipt_filename(payment: Payment) -> str:
    if payment.receipt_series_id:
        return f"bien-lai-{payment.receipt_series.symbol}-{payment.receipt_number}.pdf"
    return f"bien-lai-{payment.receipt_number or payment.reference}.pdf"


@attachment_builder
def receipt_attachment(*, payment_id: int):
    """Attachment builder for the payment e-mail (notifications outbox)."""
    payment = Payment.objects.select_related("dossier__agency", "dossier__procedure", "receipt_series").get(pk=payment_id)
    return receipt_filename(payment), receipt_pdf(payment=payment), "application/pdf"
