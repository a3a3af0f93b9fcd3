"""What an outside tester still found in the other language: the catalogue's own words (time units,
quantities), the e-receipt, the history notes the system writes, and admin headers from unnamed fields.

The pages are rendered as tests/test_translations.py renders them, on its ASCII-only data, with the few
Vietnamese data words under test added: a Vietnamese letter left on an English page is a leftover.
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.functional import Promise

from dossiers.constants import DossierStatus, FeeStatus
from payments.constants import PaymentStatus
from procedures.constants import Channel
from procedures.models import ProcedureChannel
from tests.factories.dossiers import Builder
from tests.factories.payments import open_payment
from tests.payments.ipn import success_ipn
from tests.test_translations import _get, _vietnamese_on_english_page, ascii_world  # noqa: F401 - the fixture


@pytest.fixture
def paid(ascii_world, client, settings):  # noqa: F811 - the fixture imported above
    """The ASCII world's procedure with the national catalogue's words, and its citizen's dossier paid online."""
    procedure = ascii_world["procedure"]
    ProcedureChannel.objects.create(procedure=procedure, channel=Channel.ONLINE, time_value=Decimal("23"),
                                    time_unit="Ngày làm việc", fee_amount=0)
    ProcedureChannel.objects.create(procedure=procedure, channel=Channel.POST, time_value=Decimal("1.5"),
                                    time_unit="Tháng", fee_amount=0)
    procedure.components.update(quantity="1 bản chính,1 bản sao")
    dossier = Builder().dossier(DossierStatus.PAYMENT, procedure=procedure, owner=ascii_world["citizen"],
                                fee_total=1_100_000, payment_status=FeeStatus.UNPAID,
                                applicant_address="15 Le Loi")
    payment = open_payment(dossier, "vnpay")
    assert success_ipn(client, payment).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    return {**ascii_world, "dossier": dossier, "payment": payment}


@pytest.mark.django_db
def test_english_pages_show_no_vietnamese_data_words_receipt_labels_or_notes(client, paid):
    client.force_login(paid["citizen"])
    dossier = paid["dossier"]
    problems = {}
    for path in ["/thu-tuc/1.004232.000.00.00.H34/", f"/ho-so/{dossier.code}/", "/thanh-toan/",
                 f"/thanh-toan/ho-so/{dossier.code}/"]:
        found = _vietnamese_on_english_page(_get(client, "en", path))
        if found:
            problems[path] = found
    assert not problems, problems


@pytest.mark.django_db
def test_english_pages_say_the_catalogue_words_the_receipt_and_the_note_in_english(client, paid):
    client.force_login(paid["citizen"])
    code = paid["dossier"].code
    procedure = _get(client, "en", "/thu-tuc/1.004232.000.00.00.H34/")
    assert "23 working days" in procedure and "1.5 months" in procedure and "1 original, 1 copy" in procedure
    dossier = _get(client, "en", f"/ho-so/{code}/")
    assert "Paid online through VNPay (ATM card, QR, international card), transaction KTTEST" in dossier
    fees = _get(client, "en", f"/thanh-toan/ho-so/{code}/")
    assert f"Form 01BLP0-001, series {paid['payment'].receipt_series.symbol}, no. 0000001" in fees
    # The same rows read in Vietnamese as the catalogue wrote them, and the note as it is stored.
    assert "23 ngày làm việc" in _get(client, "vi", "/thu-tuc/1.004232.000.00.00.H34/")
    assert "Thanh toán trực tuyến qua VNPay (thẻ ATM, QR, thẻ quốc tế), mã giao dịch KTTEST" in _get(
        client, "vi", f"/ho-so/{code}/")
    assert paid["dossier"].events.get(action="mark_paid").note.startswith("Thanh toán trực tuyến qua VNPay")


def _receipt_lines(payment, language, monkeypatch) -> str:
    """The text the e-receipt prints, line by line, as read by an English or Vietnamese reader."""
    from fpdf import FPDF

    from payments.receipts import payment_receipt_pdf

    printed = []
    for name in ("cell", "multi_cell"):
        original = getattr(FPDF, name)

        def record(self, w=None, h=None, text="", *args, _original=original, **kwargs):
            printed.append(str(text))
            return _original(self, w, h, text, *args, **kwargs)

        monkeypatch.setattr(FPDF, name, record)
    with translation.override(language):
        assert payment_receipt_pdf(payment=payment).startswith(b"%PDF")
    monkeypatch.undo()
    return "\n".join(printed)


@pytest.mark.django_db
def test_the_e_receipt_adds_the_readers_language_beside_the_vietnamese(paid, monkeypatch):
    english = _receipt_lines(paid["payment"], "en", monkeypatch)
    for label in ("BIÊN LAI THU PHÍ, LỆ PHÍ\n(RECEIPT FOR FEES AND CHARGES)", "Đơn vị thu (Collected by): ",
                  "Người nộp (Payer): Nguyen Thi Hoa", "Tổng cộng (Total)", "Thời điểm thanh toán (Paid at): "):
        assert label in english, label
    vietnamese = _receipt_lines(paid["payment"], "vi", monkeypatch)
    assert "Đơn vị thu: Department of Natural Resources" in vietnamese and "(" + "Collected by" not in vietnamese


@pytest.mark.django_db
def test_every_field_the_admin_shows_has_a_translated_name():
    """An unnamed field shows its attribute name ("CREATED AT") in every language: each one has a verbose_name."""
    untranslated = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "sandbox":  # the gateways' stand-in, development only (sandbox/)
            continue
        for shown_model, names in [(model, _shown(model_admin)),
                                   *[(inline.model, _shown(inline)) for inline in model_admin.inlines]]:
            for name in names:
                try:
                    field = shown_model._meta.get_field(name.split("__")[0])
                except FieldDoesNotExist:
                    continue  # a method: its @admin.display description is checked by the catalogues
                label = getattr(field, "verbose_name", None)
                if label is not None and not isinstance(label, Promise) and label not in ("e-mail", "ID"):
                    untranslated.append(f"{shown_model._meta.label}.{name}: {label!r}")
    assert not untranslated, untranslated


def _shown(model_admin) -> set[str]:
    """The field names an admin class shows: its columns, filters, form fields and fieldsets."""
    names = set()
    for attribute in ("list_display", "list_filter", "fields", "readonly_fields"):
        names |= {n for n in (getattr(model_admin, attribute, None) or ()) if isinstance(n, str)}
    for _title, options in model_admin.fieldsets or ():
        names |= {n for n in options.get("fields", ()) if isinstance(n, str)}
    if not model_admin.fields and not model_admin.fieldsets:  # the default form: every editable field
        names |= {f.name for f in model_admin.model._meta.get_fields() if getattr(f, "editable", False)
                  and not f.auto_created}
    return names


@pytest.mark.django_db
def test_the_dossier_page_in_the_english_admin_has_no_vietnamese_text(client, paid):
    from django.conf import settings

    paid["login_verified"](client, paid["admin"])
    page = _get(client, "en", f"/{settings.ADMIN_URL}dossiers/dossier/{paid['dossier'].pk}/change/")
    assert "Paid online through VNPay" in page  # the history's system note, in the reader's language
    # The e-mails sent to the applicant are listed with their subjects as sent, in the applicant's language.
    found = [t for t in _vietnamese_on_english_page(page) if "→ hoa@example.vn" not in t]
    assert not found, found


@pytest.mark.django_db
def test_the_vietnamese_admin_names_the_files_upload_time_in_vietnamese(client, paid):
    """The tester's "CREATED AT": the files' table on a dossier's admin page had an unnamed column."""
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from dossiers.models import DossierFile
    from tests.factories.dossiers import PDF

    dossier = paid["dossier"]
    name = default_storage.save(f"dossiers/{dossier.uuid}/f.pdf", ContentFile(PDF))
    DossierFile.objects.create(dossier=dossier, file=name, original_name="don.pdf", size=len(PDF))
    paid["login_verified"](client, paid["admin"])
    page = _get(client, "vi", f"/{settings.ADMIN_URL}dossiers/dossier/{dossier.pk}/change/")
    assert "Tải lên lúc" in page and "Created at" not in page and "created at" not in page.lower()
