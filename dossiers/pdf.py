"""The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a PDF, with a QR code to the public lookup."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from common.pdf import pdf_document, pdf_letterhead, qr_png
from notifications.attachments import attachment_builder

from .models import Dossier
from .selectors import dossier_component_summary


def lookup_url(dossier: Dossier) -> str:
    """The public lookup with the dossier's code filled in; never the key, which would end up in access logs
    and browser history (the key is printed beside the QR code and typed in)."""
    query = urlencode({"code": dossier.code})
    return f"{settings.SITE_URL.rstrip('/')}{reverse('dossiers:lookup')}?{query}"


def receipt_answer_lines(summary: dict) -> list[str]:
    """The case chosen and the conditions the citizen said apply to them, as the receipt prints them."""
    lines = [f"Trường hợp: {summary['case']}"] if summary["case"] else []
    ticked = [item["component"].condition for item in summary["conditions"] if item["applies"]]
    if ticked:
        lines.append("Người nộp kê khai: " + "; ".join(ticked))
    return lines


def receipt_shown_lines(summary: dict) -> list[str]:
    """The papers shown at the counter, each with the number the citizen typed online."""
    lines = []
    for item in summary["shown"]:
        component = item["component"]
        name = component.name if len(component.name) <= 160 else component.name[:157].rstrip() + "…"
        lines.append(f"- {name}{'' if component.is_required else ' (nếu có)'}")
        if component.asks_number and item["number"]:
            lines.append(f"  Số định danh cá nhân: {item['number']}")
    return lines


def receipt_pdf(*, dossier: Dossier) -> bytes:
    """Render the receipt of a received dossier."""
    pdf = pdf_document(title=f"Giấy tiếp nhận hồ sơ {dossier.code}")
    width = pdf.epw
    pdf_letterhead(pdf, agency_name=dossier.agency.name, moment=dossier.received_at)
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(width, 7, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(width, 7, f"Mã hồ sơ: {dossier.code}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font("DejaVu", "", 11)
    lines = [
        f"{dossier.agency.name} tiếp nhận hồ sơ của: {dossier.applicant_name}",
        f"Địa chỉ: {dossier.applicant_full_address}",
        f"Số điện thoại: {dossier.applicant_phone}    E-mail: {dossier.applicant_email}",
        f"Nội dung yêu cầu giải quyết: {dossier.procedure.name} (mã {dossier.procedure.code})",
        f"Hình thức nộp: {'trực tuyến' if dossier.is_online else 'trực tiếp'} — {dossier.get_submit_method_display()}",
    ]
    for line in lines:
        pdf.multi_cell(width, 6, line, new_x="LMARGIN", new_y="NEXT")
    summary = dossier_component_summary(dossier=dossier)
    for line in receipt_answer_lines(summary):
        pdf.multi_cell(width, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(width, 7, "1. Thành phần hồ sơ nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    rows = [(item["component"], len(item["files"])) for item in summary["uploads"] if item["files"]]
    others: dict = {}
    for f in summary["other_files"]:  # a case changed after uploading: the files came with the dossier
        others[f.component] = others.get(f.component, 0) + 1
    with pdf.table(col_widths=(10, 75, 15), text_align=("CENTER", "LEFT", "CENTER"), line_height=6) as table:
        header = table.row()
        for title in ("STT", "Tên giấy tờ", "Số tệp"):
            header.cell(title)
        for n, (component, count) in enumerate([*rows, *others.items()], start=1):
            row = table.row()
            row.cell(str(n))
            row.cell(f"{component.name} ({component.get_document_form_display().lower()})" if component else "Tệp đính kèm")
            row.cell(str(count))
    if summary["shown"]:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(width, 7, "Giấy tờ xuất trình bản chính khi nhận kết quả:", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for line in receipt_shown_lines(summary):
            pdf.multi_cell(width, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(width, 7, "2. Thời gian giải quyết và hẹn trả kết quả:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(
        width,
        6,
        f"Thời gian giải quyết: {dossier.procedure.processing_days} ngày làm việc.\n"
        f"Ngày hẹn trả kết quả: {dossier.due_date:%d/%m/%Y}\n"
        f"Hình thức nhận kết quả: {dossier.get_result_method_display()}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    y = pdf.get_y()
    pdf.image(qr_png(lookup_url(dossier)), x=pdf.l_margin, y=y, w=32, h=32)
    pdf.set_xy(pdf.l_margin + 36, y + 2)
    pdf.multi_cell(
        width - 36,
        6,
        "Tra cứu tình trạng hồ sơ: quét mã QR rồi nhập mã tra cứu dưới đây, hoặc vào "
        f"{settings.SITE_URL.rstrip('/')}{reverse('dossiers:lookup')}\n"
        f"Mã hồ sơ: {dossier.code}\nMã tra cứu: {dossier.lookup_key}",
        align="L",
    )
    return bytes(pdf.output())


@attachment_builder
def receipt_attachment(*, dossier_id: int):
    """Attachment builder for the reception e-mail (notifications outbox)."""
    dossier = Dossier.objects.select_related("procedure", "agency").get(pk=dossier_id)
    return f"giay-tiep-nhan-{dossier.code}.pdf", receipt_pdf(dossier=dossier), "application/pdf"
