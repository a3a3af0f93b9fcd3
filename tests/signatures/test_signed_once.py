"""A receipt is signed once and kept: every download gives the same file, which still verifies on its own.

Signing is counted where the portal calls pyHanko (signatures.services._sign); the kept file is read back from the
default storage and checked by pdfsig, as the other signature tests do.
"""

import subprocess
import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from dossiers.constants import DossierAction
from dossiers.services import dossier_move
from signatures import services
from signatures.models import SignedDocument
from tests.support.threads import run_together

from .test_signing import paid_at_a_signing_agency, receipt_download, received
from .tools import pdfsig


@pytest.fixture
def signings(monkeypatch):
    """How many times the portal asked pyHanko for a signature."""
    calls, sign, guard = [], services._sign, threading.Lock()

    def counted(*args, **kwargs):
        with guard:
            calls.append(1)
        return sign(*args, **kwargs)

    monkeypatch.setattr(services, "_sign", counted)
    return calls


def _text(data: bytes, folder) -> str:
    path = folder / "receipt.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_two_downloads_give_the_same_signed_file_kept_in_the_storage(client, build, agency_signer, signings,
                                                                     tmp_path):
    row = agency_signer()
    dossier = received(build, row.agency)
    first, second = receipt_download(client, dossier), receipt_download(client, dossier)
    assert first == second and len(signings) == 1
    kept = SignedDocument.objects.get()
    with default_storage.open(kept.name, "rb") as stored:
        data = stored.read()
    assert data == first
    report = pdfsig(data, tmp_path)
    assert "Signature Validation: Signature is Valid." in report and "Sở Tư pháp tỉnh Kon Tum" in report


def test_an_extension_gives_a_new_receipt_with_the_new_due_date(client, build, agency_signer, signings, tmp_path):
    row = agency_signer()
    dossier = received(build, row.agency)
    before = receipt_download(client, dossier)
    clerk = build.clerk(row.agency)
    dossier = dossier_move(dossier=dossier, action=DossierAction.START, actor=clerk)
    new_date = timezone.localdate() + timedelta(days=30)
    dossier_move(dossier=dossier, action=DossierAction.EXTEND, actor=clerk, note="Cần xác minh thực địa.",
                 due_date=new_date)
    after = receipt_download(client, dossier)
    assert after != before and len(signings) == 2
    assert f"Ngày hẹn trả kết quả: {new_date:%d/%m/%Y}" in _text(after, tmp_path)
    assert "Signature Validation: Signature is Valid." in pdfsig(after, tmp_path)
    assert receipt_download(client, dossier) == after and len(signings) == 2


def test_an_e_receipt_is_signed_once_too(build, agency_signer, signings, tmp_path):
    from payments.receipts import receipt_attachment

    payment = paid_at_a_signing_agency(build, agency_signer)
    first, second = receipt_attachment(payment_id=payment.pk)[1], receipt_attachment(payment_id=payment.pk)[1]
    assert first == second and len(signings) == 1
    assert "Signature Validation: Signature is Valid." in pdfsig(first, tmp_path)


def test_an_agency_without_a_signer_keeps_nothing(client, build, signings, tmp_path):
    data = receipt_download(client, received(build, build.agency()))
    assert "does not contain any signatures" in pdfsig(data, tmp_path)
    assert not signings and not SignedDocument.objects.exists()


def test_a_failed_signature_is_not_kept_and_the_next_download_signs(client, build, agency_signer, settings,
                                                                    signings, tmp_path):
    row = agency_signer()
    dossier = received(build, row.agency)
    good_tsa, settings.SIGNATURES_TSA_URL = settings.SIGNATURES_TSA_URL, "http://127.0.0.1:9/tsa"
    assert b"/ByteRange" not in receipt_download(client, dossier)  # issued unsigned, as before
    settings.SIGNATURES_TSA_URL = good_tsa
    data = receipt_download(client, dossier)
    assert "Signature Validation: Signature is Valid." in pdfsig(data, tmp_path)
    assert receipt_download(client, dossier) == data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_downloads_sign_once(build, agency_signer, signings, tmp_path):
    dossier = received(build, build.agency())  # before the signer: the reception e-mail signs nothing
    agency_signer(agency=dossier.agency)
    assert not signings
    people = 4
    browsers = [Client(raise_request_exception=False) for _ in range(people)]
    for browser in browsers:
        browser.force_login(dossier.owner)

    responses = run_together(*[lambda browser=browser: browser.get(f"/ho-so/{dossier.code}/giay-tiep-nhan.pdf")
                               for browser in browsers], timeout=120, raise_errors=True)
    bodies = [(response.status_code, response.content) for response in responses]
    assert [status for status, _ in bodies] == [200] * people
    assert len({body for _, body in bodies}) == 1 and len(signings) == 1
    assert SignedDocument.objects.count() == 1
    assert len(default_storage.listdir(f"signed/{SignedDocument.objects.get().digest[:2]}")[1]) == 1
    assert "Signature Validation: Signature is Valid." in pdfsig(bodies[0][1], tmp_path)
