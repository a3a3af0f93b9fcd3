"""The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a PDF, with a QR code to the public lookup."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from common import pdf as layout
from notifications.attachments import attachment_builder
from signatures.services import document_issue

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


def receipt_applicant_lines(dossier: Dossier) -> list[str]:
    """Who filed what, how: the receipt's first paragraph."""
    method = f"{'trực tuyến' if dossier.is_online else 'trực tiếp'} — {dossier.get_submit_method_display()}"
    return [
        f"{dossier.agency.name} tiếp nhận hồ sơ của: {dossier.applicant_name}",
        f"Địa chỉ: {dossier.applicant_full_address}",
        f"Số điện thoại: {dossier.applicant_phone}    E-mail: {dossier.applicant_email}",
        f"Nội dung yêu cầu giải quyết: {dossier.procedure.name} (mã {dossier.procedure.code})",
        f"Hình thức nộp: {method}",
        *_acted_lines(dossier),
    ]


def _acted_lines(dossier: Dossier) -> list[str]:
    """Who acted for the applicant's account, and under which authorisation (representation)."""
    if dossier.acted_by_id is None:
        return []
    agent = dossier.acted_by
    if dossier.authorisation_id is None:
        return [f"Người thao tác thay tổ chức: {agent.full_name}"]
    authorisation = dossier.authorisation
    return [f"Người nộp thay: {agent.full_name} (CCCD {agent.identity_number or ''}), theo văn bản ủy quyền "
            f"của {dossier.owner.full_name}, hiệu lực {authorisation.valid_from:%d/%m/%Y}–"
            f"{authorisation.valid_until:%d/%m/%Y}"]


def receipt_paper_rows(summary: dict) -> list[tuple[str, str, str]]:
    """The papers received, numbered, each with its number of files."""
    rows = [(item["component"], len(item["files"])) for item in summary["uploads"] if item["files"]]
    others: dict = {}
    for f in summary["other_files"]:  # a case changed after uploading: the files came with the dossier
        others[f.component] = others.get(f.component, 0) + 1
    return [
        (str(n), f"{component.name} ({component.get_document_form_display().lower()})" if component else "Tệp đính kèm",
         str(count))
        for n, (component, count) in enumerate([*rows, *others.items()], start=1)
    ]


def dossier_receipt_pdf(*, dossier: Dossier) -> bytes:
    """Render the receipt of a received dossier, signed once for what it says (a new due date: signed anew)."""
    pdf = layout.pdf_document(title=f"Giấy tiếp nhận hồ sơ {dossier.code}", created=dossier.received_at)
    layout.pdf_letterhead(pdf, agency_name=dossier.agency.name, moment=dossier.received_at)
    layout.pdf_title(pdf, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {dossier.code}", bold_lines=True)
    summary = dossier_component_summary(dossier=dossier)
    layout.pdf_rows(pdf, [*receipt_applicant_lines(dossier), *receipt_answer_lines(summary)])
    layout.pdf_heading(pdf, "1. Thành phần hồ sơ nhận:")
    layout.pdf_table(pdf, widths=(10, 75, 15), align=("CENTER", "LEFT", "CENTER"),
              header=("STT", "Tên giấy tờ", "Số tệp"), rows=receipt_paper_rows(summary))
    if summary["shown"]:
        layout.pdf_heading(pdf, "Giấy tờ xuất trình bản chính khi nhận kết quả:")
        layout.pdf_rows(pdf, receipt_shown_lines(summary), size=10)
    layout.pdf_heading(pdf, "2. Thời gian giải quyết và hẹn trả kết quả:")
    layout.pdf_rows(pdf, [
        f"Thời gian giải quyết: {dossier.procedure.processing_days} ngày làm việc.",
        f"Ngày hẹn trả kết quả: {dossier.due_date:%d/%m/%Y}",
        f"Hình thức nhận kết quả: {dossier.get_result_method_display()}",
    ])
    note = ("Tra cứu tình trạng hồ sơ: quét mã QR rồi nhập mã tra cứu dưới đây, hoặc vào "
            f"{settings.SITE_URL.rstrip('/')}{reverse('dossiers:lookup')}\n"
            f"Mã hồ sơ: {dossier.code}\nMã tra cứu: {dossier.lookup_key}")
    layout.pdf_qr_note(pdf, url=lookup_url(dossier), note=note, size=32)
    return document_issue(agency_id=dossier.agency_id, data=bytes(pdf.output()),
                         reason=f"Giấy tiếp nhận hồ sơ {dossier.code}")


@attachment_builder
def receipt_attachment(*, dossier_id: int):
    """Attachment builder for the reception e-mail (notifications outbox)."""
    dossier = Dossier.objects.select_related("procedure", "agency").get(pk=dossier_id)
    return f"giay-tiep-nhan-{dossier.code}.pdf", dossier_receipt_pdf(dossier=dossier), "application/pdf"
