"""The clerk sees who acted for whom and the authorisation's document: in the admin's dossier page and on the
receipt (read back with poppler's pdftotext, not with the code that wrote it)."""

import shutil
import subprocess

import pytest

from dossiers.constants import DossierAction, DossierStatus
from dossiers.pdf import dossier_receipt_pdf
from dossiers.services import dossier_move
from representation.constants import Scope
from tests.conftest import need_service
from tests.support.otp import login_verified

from .conftest import authorisation, draft_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(build):
    a = build.citizen(full_name="Trần Thị An")
    b = build.citizen(full_name="Lê Văn Bình", identity_number="062301000222")
    procedure = build.procedure()
    granted = authorisation(a, b, scope=Scope.PROCEDURE, procedure=procedure)
    dossier = dossier_move(dossier=draft_for(a, b, procedure), action=DossierAction.SUBMIT, actor=b)
    clerk = build.clerk(dossier.agency)
    return dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=clerk), granted, clerk


def test_the_admin_dossier_page_says_who_acted_for_whom_with_the_document(client, received):
    dossier, granted, clerk = received
    login_verified(client, clerk)
    page = client.get(f"/admin/dossiers/dossier/{dossier.pk}/change/").content.decode()
    assert "Lê Văn Bình (CCCD 062301000222) thao tác thay cho Trần Thị An" in page
    assert f"/tai-khoan/uy-quyen/{granted.uuid}/van-ban/" in page and "Đang hiệu lực" in page
    document = client.get(f"/tai-khoan/uy-quyen/{granted.uuid}/van-ban/")
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")
    from audit.models import AccessRecord

    assert AccessRecord.objects.filter(actor_id=clerk.pk, ref=f"uy-quyen:{granted.uuid}").exists()


def test_the_owner_sees_who_acted_on_the_dossier_page(client, received):
    dossier, _granted, _clerk = received
    client.force_login(dossier.owner)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert 'id="nguoi-thao-tac-thay">Lê Văn Bình' in page


def test_the_receipt_names_the_representative_and_the_authorisation(received, tmp_path):
    need_service("pdftotext", bool(shutil.which("pdftotext")), "apt install poppler-utils")
    dossier, granted, _clerk = received
    path = tmp_path / "giay-tiep-nhan.pdf"
    path.write_bytes(dossier_receipt_pdf(dossier=dossier))
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Người nộp thay: Lê Văn Bình (CCCD 062301000222), theo văn bản ủy quyền của Trần Thị An" in text
    assert f"{granted.valid_from:%d/%m/%Y}–{granted.valid_until:%d/%m/%Y}" in text
    assert dossier.status == DossierStatus.RECEIVED
