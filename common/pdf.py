"""The PDF base every document of the portal is drawn on: an A4 page with Vietnamese fonts and the one letterhead."""

import io
import logging

import qrcode
from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

NATIONAL_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}

logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every font subset at INFO


def pdf_document(*, title: str, created=None) -> FPDF:
    """An A4 page with the Vietnamese fonts loaded; dated `created` (not now) so the same content gives the same
    bytes, which is how a signed copy is found again (signatures.services.document_issue)."""
    pdf = FPDF(format="A4")
    if created is not None:
        pdf.set_creation_date(created)
    pdf.set_margins(18, 15, 18)
    pdf.add_font("DejaVu", "", str(settings.PDF_FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(settings.PDF_FONT_BOLD))
    pdf.set_title(title)
    pdf.add_page()
    return pdf


def pdf_letterhead(pdf: FPDF, *, agency_name: str = "", moment=None) -> None:
    """The letterhead of Decree 30/2020/NĐ-CP.

    With an agency: the agency and the national motto side by side, then the place and date of `moment`.
    Without (a blank form the applicant fills in): the national motto alone, centred.
    """
    width = pdf.epw
    pdf.set_font("DejaVu", "B", 10)
    if agency_name:
        left, right = width * 0.42, width * 0.58
        y = pdf.get_y()
        pdf.multi_cell(left, 5, agency_name.upper(), align="C")
        pdf.set_xy(pdf.l_margin + left, y)
        pdf.multi_cell(right, 5, NATIONAL_MOTTO, align="C")
    else:
        pdf.multi_cell(width, 5, NATIONAL_MOTTO, align="C", **NEXT_LINE)
    pdf.ln(4)
    if moment is not None:
        local = timezone.localtime(moment)
        pdf.set_font("DejaVu", "", 10)
        pdf.cell(width, 6, f"Kon Tum, ngày {local:%d} tháng {local:%m} năm {local:%Y}", align="R", **NEXT_LINE)
        pdf.ln(2)


def qr_png(data: str) -> io.BytesIO:
    """A QR code of `data` as PNG, ready for FPDF.image."""
    image = qrcode.make(data, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer



# The one layout of the portal's receipts (the dossier receipt, the e-receipt): a title block under the letterhead,
# rows of text, headed sections, a table, and the QR code to the public lookup with its note, all in these sizes.

def pdf_title(pdf: FPDF, title: str, *lines: str, bold_lines: bool = False) -> None:
    """Write the document's name, bold and centred, and the lines under it that identify this copy."""
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(pdf.epw, 7, title, align="C", **NEXT_LINE)
    pdf.set_font("DejaVu", "B" if bold_lines else "", 10)
    for line in lines:
        pdf.multi_cell(pdf.epw, 6, line, align="C", **NEXT_LINE)
    pdf.ln(3)


def pdf_rows(pdf: FPDF, lines, *, size: int = 11) -> None:
    """Write lines of text, each wrapped to the page's width and aligned left (a list item stays one)."""
    pdf.set_font("DejaVu", "", size)
    for line in lines:
        pdf.multi_cell(pdf.epw, 6, line, align="L", **NEXT_LINE)


def pdf_heading(pdf: FPDF, text: str) -> None:
    """Write a section's heading, bold, a little apart from what stands above it."""
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(pdf.epw, 7, text, **NEXT_LINE)


def pdf_table(pdf: FPDF, *, widths: tuple, align: tuple, header, rows) -> None:
    """Write a table with a header row: `widths` in parts of the page's width, `align` a column's alignment."""
    pdf.set_font("DejaVu", "", 10)
    with pdf.table(col_widths=widths, text_align=align, line_height=6) as table:
        for cells in (header, *rows):
            row = table.row()
            for text in cells:
                row.cell(text)


def pdf_qr_note(pdf: FPDF, *, url: str, note: str, size: int) -> None:
    """Write the QR code of `url`, `size` mm square, with `note` to its right."""
    pdf.ln(3)
    y = pdf.get_y()
    pdf.image(qr_png(url), x=pdf.l_margin, y=y, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 4, y + 2)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(pdf.epw - size - 4, 6, note, align="L")
