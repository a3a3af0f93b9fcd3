"""A citizen's signed PDF is verified after upload; the clerk sees signer and validity in the dossier's file list."""

from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierFile
from dossiers.services import dossier_component_files_add
from procedures.constants import StaffRole
from tests.factories.dossiers import pdf_upload
from tests.support.otp import login_verified

from .test_verify_page import signed_receipt

CHANGELIST = "/admin/dossiers/dossier/"


def upload(build, content, capture, name="giay-phep-da-ky.pdf"):
    dossier = build.dossier(DossierStatus.DRAFT)
    component = dossier.procedure.components.first()
    with capture(execute=True):
        dossier_component_files_add(dossier=dossier, component=component, uploads_list=[pdf_upload(name, content)],
                                    user=dossier.owner, max_files=5)
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.SUBMITTED, code=f"TEST-{dossier.pk}")
    return dossier, DossierFile.objects.get(dossier=dossier)


def admin_page(client, build, dossier) -> str:
    login_verified(client, build.clerk(dossier.agency, roles=[StaffRole.RECEIVE]))
    return client.get(f"{CHANGELIST}{dossier.pk}/change/").content.decode()


def test_a_signed_upload_shows_its_signer_and_validity_to_the_clerk(client, build, agency_signer,
                                                                     django_capture_on_commit_callbacks):
    signed = signed_receipt(build, agency_signer)
    dossier, stored = upload(build, signed, django_capture_on_commit_callbacks)
    check = stored.signature_check
    assert [s["signer"] for s in check["signatures"]] == ["Sở Tư pháp tỉnh Kon Tum"]
    assert check["signatures"][0]["verdict"] == "valid" and check["signatures"][0]["intact"]
    page = admin_page(client, build, dossier)
    assert "Sở Tư pháp tỉnh Kon Tum UBND tỉnh Kon Tum — Hợp lệ" in page


def test_an_altered_signed_upload_is_flagged(client, build, agency_signer, django_capture_on_commit_callbacks):
    data = bytearray(signed_receipt(build, agency_signer))
    data[data.index(b"/Title") + 8] ^= 0x01
    dossier, stored = upload(build, bytes(data), django_capture_on_commit_callbacks)
    assert stored.signature_check["signatures"][0]["verdict"] == "modified"
    assert "Văn bản đã bị thay đổi sau khi ký" in admin_page(client, build, dossier)


def test_an_unsigned_upload_queues_nothing(build, django_capture_on_commit_callbacks):
    dossier = build.dossier(DossierStatus.DRAFT)
    with django_capture_on_commit_callbacks() as callbacks:
        dossier_component_files_add(dossier=dossier, component=dossier.procedure.components.first(),
                                    uploads_list=[pdf_upload()], user=dossier.owner, max_files=5)
    assert not [c for c in callbacks if "signatures" in repr(c)]
    assert DossierFile.objects.get(dossier=dossier).signature_check is None


def test_verification_of_an_upload_is_bounded(build, agency_signer, django_capture_on_commit_callbacks, settings):
    settings.SIGNATURES_VERIFY_MAX_BYTES = 1000  # smaller than the signed file
    _, stored = upload(build, signed_receipt(build, agency_signer), django_capture_on_commit_callbacks)
    assert stored.signature_check["error"] == "Tệp quá lớn để kiểm tra chữ ký số." and not stored.signature_check["signatures"]
