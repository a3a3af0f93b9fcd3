"""The portal signs what agencies issue: receipts and e-receipts, checked by pdfsig and OpenSSL, not by pyHanko."""

import logging

import pytest
from django.utils import timezone

from dossiers.constants import DossierAction, DossierStatus
from dossiers.services import dossier_move
from payments.constants import PaymentStatus
from signatures.constants import SignerKind
from signatures.models import AgencySigner
from tests.factories.payments import open_payment, owed_dossier

from .tools import openssl_cms_verify, openssl_timestamp_verify, pdfsig


def received(build, agency):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=build.procedure(agencies=[agency]))
    return dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(agency))


def receipt_download(client, dossier) -> bytes:
    client.force_login(dossier.owner)
    response = client.get(f"/ho-so/{dossier.code}/giay-tiep-nhan.pdf")
    assert response.status_code == 200
    return response.content


def test_a_receipt_is_signed_by_its_agency_at_b_lt(client, build, agency_signer, signing, tmp_path):
    row = agency_signer()
    data = receipt_download(client, received(build, row.agency))
    report = pdfsig(data, tmp_path)
    assert "Signer Certificate Common Name: Sở Tư pháp tỉnh Kon Tum" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "ETSI.CAdES.detached" in report  # PAdES, not adbe.pkcs7.detached
    roots = signing.write_roots("portal-test")
    cms = openssl_cms_verify(data, roots, tmp_path)
    assert cms.returncode == 0 and "Verification successful" in cms.stderr, cms.stderr
    timestamp = openssl_timestamp_verify(data, roots, tmp_path)  # B-T: the TSA's token over the signature
    assert timestamp.returncode == 0 and "Verification: OK" in timestamp.stdout, timestamp.stdout + timestamp.stderr
    assert b"/DSS" in data and b"/OCSPs" in data  # B-LT: the chain's revocation data embedded


def test_openssl_refuses_the_signature_against_another_root(client, build, agency_signer, signing, tmp_path):
    row = agency_signer()
    data = receipt_download(client, received(build, row.agency))
    cms = openssl_cms_verify(data, signing.write_roots("stranger"), tmp_path)
    assert cms.returncode != 0 and "self-signed certificate in certificate chain" in cms.stderr  # not our root


def paid_at_a_signing_agency(build, agency_signer):
    """A paid fee of an agency that signs, its e-receipt numbered."""
    dossier = owed_dossier(build)
    agency_signer(agency=dossier.agency)
    payment = open_payment(dossier, status=PaymentStatus.PAID)
    payment.paid_at, payment.receipt_number = timezone.now(), "0000001"
    payment.save()
    return payment


def test_an_e_receipt_is_signed_too(build, agency_signer, signing, tmp_path):
    from payments.receipts import receipt_attachment

    payment = paid_at_a_signing_agency(build, agency_signer)
    name, data, mimetype = receipt_attachment(payment_id=payment.pk)
    report = pdfsig(data, tmp_path)
    assert "Signature Validation: Signature is Valid." in report and "Sở Tư pháp tỉnh Kon Tum" in report
    assert openssl_cms_verify(data, signing.write_roots("portal-test"), tmp_path).returncode == 0


def test_an_agency_without_a_signer_issues_its_receipt_as_before(client, build, signing, tmp_path):
    data = receipt_download(client, received(build, build.agency()))
    assert b"/ByteRange" not in data
    assert "does not contain any signatures" in pdfsig(data, tmp_path)


def test_an_inactive_signer_signs_nothing(client, build, agency_signer):
    row = agency_signer()
    AgencySigner.objects.filter(pk=row.pk).update(active=False)
    assert b"/ByteRange" not in receipt_download(client, received(build, row.agency))


def test_a_pem_key_and_certificate_sign_as_well(client, build, signing, tmp_path):
    key, cert, chain = signing.write_pem_signer("agency")
    agency = build.agency()
    AgencySigner.objects.create(agency=agency, kind=SignerKind.FILE, key_path=str(key), cert_path=str(cert),
                                chain_path=str(chain))
    data = receipt_download(client, received(build, agency))
    assert "Signature is Valid" in pdfsig(data, tmp_path)
    assert openssl_cms_verify(data, signing.write_roots("portal-test"), tmp_path).returncode == 0


def test_a_passphrase_comes_from_the_variable_the_row_names(client, build, signing, tmp_path, monkeypatch):
    agency = build.agency()
    path = signing.write_signer("agency", password=b"mat-khau-thu")
    AgencySigner.objects.create(agency=agency, kind=SignerKind.FILE, key_path=str(path), secret_env="SIGNER_TEST_PIN")
    monkeypatch.setenv("SIGNER_TEST_PIN", "mat-khau-thu")
    assert "Signature is Valid" in pdfsig(receipt_download(client, received(build, agency)), tmp_path)


def test_an_unusable_key_or_tsa_leaves_the_receipt_unsigned_and_logs_an_error(client, build, agency_signer, settings,
                                                                             caplog):
    row = agency_signer()
    settings.SIGNATURES_TSA_URL = "http://127.0.0.1:8559/tsa"  # nothing listens there
    settings.SIGNATURES_TSA_TIMEOUT = 2
    with caplog.at_level(logging.ERROR, logger="signatures.services"):
        data = receipt_download(client, received(build, row.agency))
    assert data.startswith(b"%PDF") and b"/ByteRange" not in data
    assert any("cannot sign a document" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("label", ["revoked", "expired"])
def test_a_bad_certificate_still_signs_at_b_t_when_validation_data_cannot_be_embedded(
        client, build, agency_signer, signing, tmp_path, label):
    row = agency_signer(label)
    data = receipt_download(client, received(build, row.agency))
    assert "Signature is Valid" in pdfsig(data, tmp_path)  # the bytes are intact; the certificate is another matter
    assert b"/DSS" not in data


def test_a_remote_signing_service_plugs_into_the_hook(client, build, signing, tmp_path):
    """A licensed CA's remote signing, played here by a service that keeps the key on its side of the hook."""
    from asn1crypto import keys
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    from signatures import remote

    pki = signing.arch()
    private = serialization.load_pem_private_key((signing.folder / "agency.key.pem").read_bytes(), None)
    calls = []

    @remote.register("test-remote-ca")
    class TestRemoteCA(remote.RemoteSigningService):
        def signing_cert(self):
            return pki.get_cert("agency")

        def chain(self):
            return [pki.get_cert(label) for label in pki.get_chain("agency")]

        def sign(self, data, digest_algorithm):
            calls.append(digest_algorithm)
            return private.sign(data, padding.PKCS1v15(), getattr(hashes, digest_algorithm.upper())())

    assert isinstance(pki.get_cert("agency").public_key, keys.PublicKeyInfo)
    agency = build.agency()
    AgencySigner.objects.create(agency=agency, kind=SignerKind.REMOTE, remote_service="test-remote-ca")
    data = receipt_download(client, received(build, agency))
    assert calls == ["sha256"]
    assert "Signature is Valid" in pdfsig(data, tmp_path)
    assert openssl_cms_verify(data, signing.write_roots("portal-test"), tmp_path).returncode == 0


def test_a_pkcs11_signer_without_its_module_leaves_the_receipt_unsigned(client, build, signing):
    agency = build.agency()
    AgencySigner.objects.create(agency=agency, kind=SignerKind.PKCS11, pkcs11_module="/nonexistent/libsofthsm2.so",
                                pkcs11_token="SoTuPhap", pkcs11_key_label="ky-so")
    assert b"/ByteRange" not in receipt_download(client, received(build, agency))
