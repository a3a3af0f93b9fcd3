"""Step 2 on a phone over slow 3G (Chrome's DevTools preset, by CDP): the file goes by tus in parts with its
progress bar; the connection drops, "Thử lại" resumes from the server's offset, and the draft holds the exact bytes."""

import hashlib
import random
from pathlib import Path

import pytest

from dossiers import services
from dossiers.models import DossierFile
from uploads_tus.models import TusUpload

from tests.e2e.axe import BLOCKING, axe_run, axe_source, describe
from tests.e2e.conftest import assert_fits_width, settle
from tests.e2e.test_dossiers_browser import _citizen_page
from tests.factories.dossiers import Builder, padded_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "tus"
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert_fits_width(page)
    blocking = [v for v in axe_run(page, axe_source()) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)


def test_a_phone_on_slow_3g_uploads_by_parts_and_resumes_after_a_drop(browser, live_server, tmp_path):
    build = Builder()
    citizen = build.citizen(full_name="Sùng A Lử", identity_number="014201000555")
    procedure = build.procedure(components=("Đơn đề nghị", "Bản sao giấy khai sinh"))
    draft = services.dossier_draft_get_or_create(user=citizen, procedure=procedure)
    services.dossier_applicant_update(dossier=draft, name=citizen.full_name, identity=citizen.identity_number,
                                      phone="0912345678", email=citizen.email, address="Bản Tả Phìn")
    data = padded_pdf(random.Random(5).randbytes(1_400_000).replace(b"\n", b" ").replace(b"\r", b" "))
    path = tmp_path / "ban-quet-don.pdf"
    path.write_bytes(data)
    component = procedure.components.order_by("position").first()

    page = _citizen_page(browser, live_server, citizen)
    page.set_viewport_size({"width": 360, "height": 760})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto(f"/ho-so/soan/{draft.uuid}/buoc-2/")
    page.set_input_files(f"#files_{component.pk}", str(path))
    page.click("button[value=upload]")
    bar = page.get_by_role("progressbar", name="Tiến độ tải lên: ban-quet-don.pdf")
    page.wait_for_function("el => +el.getAttribute('aria-valuenow') >= 40", arg=bar.element_handle(), timeout=120_000)
    _shot(page, "01-uploading-slow-3g")

    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": True})  # the signal is lost
    retry = page.get_by_role("button", name="Thử lại")
    retry.wait_for(timeout=60_000)
    received = TusUpload.objects.get().offset
    assert 0 < received < len(data)
    assert "Mất kết nối" in page.inner_text(f"#tus-{component.pk}")
    _shot(page, "02-connection-lost-retry")

    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    with page.expect_navigation(timeout=180_000):
        retry.click()
    page.get_by_text("ban-quet-don.pdf").first.wait_for()
    stored = DossierFile.objects.get(dossier=draft, component=component)
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    _shot(page, "03-stored-in-draft")

    fake = tmp_path / "giay-to.pdf"
    fake.write_bytes(b"MZ" + b"\x00" * 4000)  # a program named .pdf: refused, the reason next to the field
    page.set_input_files(f"#files_{component.pk}", str(fake))
    page.click("button[value=upload]")
    page.get_by_text("không phải là tệp PDF thật").wait_for(timeout=60_000)
    assert page.locator(f"#files_{component.pk}").input_value() == ""  # the next press sends nothing again
    assert DossierFile.objects.filter(dossier=draft).count() == 1
    assert page.errors == []
    _shot(page, "04-refused-by-content")
