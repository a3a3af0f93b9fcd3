"""The seeds' whole journey in Chromium, against the live server with a real Celery worker on Redis,
PostgreSQL and a real SMTP sink: a citizen registers and confirms from the e-mail received, finds the
procedure typing without diacritics, submits a dossier with files and postal delivery of the result, pays
at the bank gateway (the IPN is delivered by the worker), gets the e-receipt; a clerk logs into the admin
with a password and a TOTP code, receives the dossier and takes it to its result; the citizen sees the result
and rates it; an anonymous visitor looks it up by code. The whole journey runs at phone (360 px) and at
desktop (1280 px) width, a screenshot of every step under artifacts/screenshots/journey/, and axe-core checks
every citizen page (violations recorded in artifacts/axe/journey.json).
"""

import base64
import re
from pathlib import Path

import pytest
from django.conf import settings

from demo.services import demo_catalogue_load
from dossiers.constants import DossierAction, DossierStatus
from dossiers.models import Dossier
from notifications.models import Email
from payments.constants import PaymentStatus
from payments.models import Payment
from sandbox.models import SandboxIpnDelivery
from procedures.models import Agency, Procedure
from tests.conftest import ROOT
from tests.e2e.axe import AxeLog, axe_source, describe
from tests.e2e.conftest import assert_fits_width, choose, open_page, outcome, pay_at, shot
from tests.support.otp import current_code, totp_device

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("captcha_passes"),
]

CODE = "1.004232.000.00.00.H34"
AGENCY = "000.00.21.H34"
FEE = "1.100.000 đ"
EMAIL = "nhung.tran@example.vn"
PASSWORD = "Mật khẩu dài của Nhung 2026"
CLERK_PASSWORD = "Mat-khau-can-bo-2026"
RESULT_ADDRESS = "27 Phan Đình Phùng, phường Quyết Thắng, thành phố Kon Tum"
TIMEOUT_MS = 20_000  # every wait on a page is bounded by this unless it says otherwise
E_MAIL_TIMEOUT = 60


@pytest.fixture(scope="module")
def axe_log():
    """Checked first: without node_modules (`npm ci`) the test fails under REQUIRE_SERVICES=1 before starting anything."""
    log = AxeLog(ROOT / "artifacts" / "axe" / "journey.json", source=axe_source())
    yield log
    log.write()


@pytest.fixture(autouse=True)
def fast_ipn_retries(monkeypatch):
    """Set before the worker starts: it reads its settings from the environment."""
    monkeypatch.setenv("PAYMENT_SANDBOX_IPN_RETRY_DELAY", "1")


@pytest.fixture
def worker(gateways_on_live_server, celery_worker_process, tasks_on_redis, settings):
    """The live server with the sandbox gateways, and a real worker taking this process's tasks from Redis."""
    settings.SITE_URL = gateways_on_live_server.url  # links in e-mails point at the live server
    return celery_worker_process


@pytest.fixture
def catalogue(db):
    """The demo catalogue of Kon Tum (the seeds' procedures, agencies, fees), as `make run` loads it."""
    demo_catalogue_load()
    return Procedure.objects.get(code=CODE)


@pytest.fixture
def documents(browser, tmp_path):
    """Real files made by Chromium itself: PDFs (page.pdf) and a JPEG (a canvas)."""
    page = browser.new_page()
    files = {}
    for name, title in [("don-de-nghi.pdf", "Đơn đề nghị cấp giấy phép thăm dò nước dưới đất"),
                        ("de-an-tham-do.pdf", "Đề án thăm dò nước dưới đất"),
                        ("quyet-dinh-thanh-lap.pdf", "Quyết định thành lập Hợp tác xã nước sạch Đắk Cấm"),
                        ("giay-phep-tham-do.pdf", "Giấy phép thăm dò nước dưới đất")]:
        page.set_content(f"<h1>{title}</h1><p>Tỉnh Kon Tum, năm 2026.</p>")
        files[name] = tmp_path / name
        files[name].write_bytes(page.pdf(format="A4"))
    jpeg = page.evaluate("""() => {
        const c = document.createElement("canvas"); c.width = 480; c.height = 240;
        const g = c.getContext("2d"); g.fillStyle = "#fffdf5"; g.fillRect(0, 0, 480, 240);
        g.fillStyle = "#8b0000"; g.font = "24px sans-serif"; g.fillText("UBND xã Đắk Cấm: đồng ý", 24, 120);
        return c.toDataURL("image/jpeg", 0.9);
    }""")
    files["gop-y-ubnd-xa.jpg"] = tmp_path / "gop-y-ubnd-xa.jpg"
    files["gop-y-ubnd-xa.jpg"].write_bytes(base64.b64decode(jpeg.split(",", 1)[1]))
    page.close()
    assert files["don-de-nghi.pdf"].read_bytes().startswith(b"%PDF-")
    assert files["gop-y-ubnd-xa.jpg"].read_bytes().startswith(b"\xff\xd8\xff")
    return files


class Journey:
    """Numbers the steps; at each one takes the screenshot, then checks what every page must satisfy."""

    def __init__(self, viewport: str, axe_log: AxeLog):
        self.viewport = viewport
        self.axe_log = axe_log
        self.steps = []

    def look(self, page, name: str, *, who: str = "citizen") -> None:
        """Every page passes axe (no serious or critical violation); the citizen's and the bank's fit a phone.

        `who`: "citizen", "bank" (the sandbox gateway's pages) or "staff" (the admin, not made for phones).
        """
        label = f"{len(self.steps) + 1:02d}-{name}"
        shot(page, "journey", label, self.viewport)
        assert page.console_errors == [], f"{label}: {page.console_errors}"
        if who in ("citizen", "bank"):
            assert_fits_width(page)
        # axe copies @import-ed style sheets (the admin's) into a <style> element, which the CSP refuses and the
        # console reports as our error; the admin's pages are checked without the style sheets (CSSOM) then.
        blocking = self.axe_log.check(page, f"{label}-{self.viewport}", cssom=who != "staff")
        assert not blocking, f"{label}: axe found\n{describe(blocking)}"
        self.steps.append(label)


def main_text(page) -> str:
    return page.inner_text("main")


def subject(message) -> str:
    """The subject as the reader sees it (long headers arrive folded)."""
    return " ".join(str(message["Subject"]).split())


def clerk_move(clerk, journey, action: str, *, files=(), note: str = "", fields=None) -> None:
    """On the dossier's admin page, press the move's button, fill its form and confirm, as a clerk does."""
    clerk.locator(f"a.dossier-move-{action}").click()
    clerk.wait_for_url(f"**/move/{action}/")
    assert clerk.locator("#content h1").all_inner_texts() == [DossierAction(action).label]
    if note:
        clerk.fill("#id_note", note)
    if files:
        clerk.set_input_files("#id_files", [str(f) for f in files])
    for selector, value in (fields or {}).items():
        clerk.fill(selector, value)
    journey.look(clerk, f"admin-{action.replace('_', '-')}", who="staff")
    clerk.click("#move-submit")
    clerk.wait_for_url("**/change/")
    assert clerk.locator(".messagelist .success").count() == 1, clerk.locator(".messagelist").inner_text()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_whole_journey(axe_log, browser, worker, smtp_sink, catalogue, documents, viewport):
    journey = Journey(viewport, axe_log)
    base = catalogue

    citizen = open_page(browser, settings.SITE_URL, viewport)
    citizen.set_default_timeout(TIMEOUT_MS)

    # --- The citizen registers and confirms the address from the e-mail actually received --------------
    citizen.goto("/tai-khoan/dang-ky/")
    assert citizen.get_by_role("heading", level=1).inner_text().startswith("Đăng ký")
    citizen.fill("#id_full_name", "Trần Thị Hồng Nhung")
    citizen.fill("#id_date_of_birth", "1992-07-14")
    citizen.check("input[name=gender][value=female]")
    citizen.fill("#id_identity_number", "062192001234")
    citizen.fill("#id_phone", "0905 111 222")
    citizen.fill("#id_email", EMAIL)
    with citizen.expect_response("**/tai-khoan/xa-phuong/?tinh=51"):
        citizen.select_option("#id_province_code", "51")
    citizen.select_option("#id_commune_code", index=1)
    citizen.fill("#id_street_address", "27 Phan Đình Phùng")
    citizen.fill("#id_password1", PASSWORD)
    citizen.fill("#id_password2", PASSWORD)
    citizen.fill("#id_captcha_1", "PASSED")
    journey.look(citizen, "register")
    citizen.click("button[type=submit] >> text=Đăng ký")
    citizen.wait_for_url("**/tai-khoan/dang-ky/da-gui/")
    assert citizen.get_by_role("heading", level=1).inner_text() == "Vui lòng kiểm tra hộp thư của bạn"
    journey.look(citizen, "register-done")

    [message] = smtp_sink.wait_for(lambda m: m["To"] == EMAIL, timeout=E_MAIL_TIMEOUT)
    assert subject(message) == "Xác nhận đăng ký tài khoản sử dụng Cổng dịch vụ công trực tuyến"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/tai-khoan/xac-nhan/\S+/", body)
    assert link and link.group(0).startswith(settings.SITE_URL), body
    citizen.goto(link.group(0))
    citizen.wait_for_url("**/tai-khoan/dang-nhap/")
    assert "Tài khoản của bạn đã được kích hoạt" in main_text(citizen)
    citizen.fill("#id_username", EMAIL)
    citizen.fill("#id_password", PASSWORD)
    journey.look(citizen, "confirmed-login")
    citizen.click("button[type=submit] >> text=Đăng nhập")
    citizen.wait_for_url("**/tai-khoan/")
    assert citizen.get_by_role("heading", level=1).inner_text() == "Trang cá nhân"
    assert citizen.input_value("#id_full_name") == "Trần Thị Hồng Nhung"
    journey.look(citizen, "profile")

    # --- Finds the procedure typing without diacritics ------------------------------------------------
    citizen.goto("/")
    citizen.fill("#home-q", "cap phep tham do nuoc duoi dat")
    journey.look(citizen, "home-search")
    citizen.click("button[type=submit] >> text=Tìm kiếm")
    citizen.wait_for_url("**/thu-tuc/?q=*")
    row = citizen.locator("table.catalogue-table tbody tr", has_text=CODE)
    assert row.count() == 1, main_text(citizen)
    journey.look(citizen, "search-results")
    row.get_by_role("link", name=base.name).click()
    citizen.wait_for_url(f"**/thu-tuc/{CODE}/")
    assert citizen.get_by_role("heading", level=1).inner_text() == base.name
    assert FEE in main_text(citizen)
    journey.look(citizen, "procedure")

    # --- Submits a dossier with files and the result delivered home by post ---------------------------
    citizen.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    citizen.wait_for_url("**/buoc-1/")
    assert citizen.input_value("#id_applicant_name") == "Trần Thị Hồng Nhung"
    assert citizen.input_value("#id_applicant_email") == EMAIL
    journey.look(citizen, "wizard-applicant")
    citizen.click("text=Lưu và tiếp tục")
    citizen.wait_for_url("**/buoc-2/")
    uploads = ["don-de-nghi.pdf", "de-an-tham-do.pdf", "gop-y-ubnd-xa.jpg", "quyet-dinh-thanh-lap.pdf"]
    components = list(base.components.order_by("position", "pk"))
    assert len(components) == len(uploads)
    for component, name in zip(components, uploads):
        citizen.set_input_files(f"#files_{component.pk}", str(documents[name]))
    journey.look(citizen, "wizard-files")
    citizen.click("button[value=next]")
    citizen.get_by_role("heading", name="Hình thức nộp và nhận kết quả").wait_for()
    citizen.check("input[name=submit_method][value=online]")
    assert citizen.locator("#id_submit_address").is_hidden()  # asked only of the paper dossier sent by post
    citizen.check("input[name=result_method][value=post]")
    citizen.fill("#id_result_address", RESULT_ADDRESS)
    citizen.check("input[name=result_method][value=counter]")
    assert citizen.locator("#id_result_address").is_hidden()
    citizen.check("input[name=result_method][value=post]")
    assert citizen.input_value("#id_result_address") == RESULT_ADDRESS  # shown again, as typed
    journey.look(citizen, "wizard-delivery")
    citizen.click("text=Lưu và tiếp tục")
    citizen.wait_for_url("**/buoc-4/")
    review = main_text(citizen)
    for expected in (*uploads, FEE, RESULT_ADDRESS):
        assert expected in review, expected
    citizen.check("#id_confirm")
    citizen.fill("#id_captcha_1", "PASSED")
    journey.look(citizen, "wizard-review")
    citizen.click("#submit-button")
    citizen.wait_for_url(f"**/ho-so/{AGENCY}-*/")
    dossier = Dossier.objects.get(procedure=base)
    assert f"Đã nộp hồ sơ thành công. Mã hồ sơ: {dossier.code}." in main_text(citizen)
    assert citizen.locator("h1 + .badge").inner_text() == "Mới đăng ký"
    assert f"{FEE} — Chưa thanh toán" in main_text(citizen)
    journey.look(citizen, "dossier-submitted")

    # --- Pays at the bank gateway; the worker delivers the IPN; the receipt ----------------------------
    citizen.get_by_role("link", name="Thanh toán phí/lệ phí").click()
    citizen.wait_for_url(f"**/thanh-toan/ho-so/{dossier.code}/")
    assert citizen.locator("#fee-total").inner_text() == FEE
    journey.look(citizen, "fee-detail")
    choose(citizen, "vnpay")
    pay_at(citizen, "vnpay", look=lambda step: journey.look(citizen, step, who="bank"))
    assert outcome(citizen) == "Thanh toán thành công"
    assert f"Đã thanh toán {FEE} cho hồ sơ {dossier.code}" in main_text(citizen)
    journey.look(citizen, "payment-paid")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.PAID and payment.gateway == "vnpay"
    assert SandboxIpnDelivery.objects.filter(acknowledged=True).count() == 1  # over HTTP, from the worker
    with citizen.expect_download(timeout=TIMEOUT_MS) as download:
        citizen.get_by_role("link", name="Biên lai điện tử (PDF)").click()
    receipt = Path(download.value.path()).read_bytes()
    assert receipt.startswith(b"%PDF-") and download.value.suggested_filename.endswith(".pdf")
    citizen.get_by_role("link", name="Danh sách giao dịch").click()
    citizen.wait_for_url("**/thanh-toan/")
    card = citizen.locator(f'[id="ho-so-{dossier.code}"]')
    assert card.locator(".dossier-payment-status").inner_text() == "Đã thanh toán"
    assert card.get_by_role("link", name="Biên lai điện tử (PDF)").is_visible()
    journey.look(citizen, "transactions")

    # --- A clerk logs into the admin with password and TOTP code, and takes the dossier to its result --
    clerk_user = _clerk(Agency.objects.get(code=AGENCY))
    clerk = open_page(browser, settings.SITE_URL, viewport)
    clerk.set_default_timeout(TIMEOUT_MS)
    clerk.goto("/admin/login/?next=/admin/dossiers/dossier/")
    clerk.fill("#id_username", clerk_user.email)
    clerk.fill("#id_password", CLERK_PASSWORD)
    clerk.fill("#id_otp_token", current_code(totp_device(clerk_user)))  # what the authenticator app shows
    journey.look(clerk, "admin-login", who="staff")
    clerk.click("input[type=submit]")
    clerk.wait_for_url("**/admin/dossiers/dossier/")
    assert dossier.code in clerk.inner_text("#result_list")
    journey.look(clerk, "admin-dossiers", who="staff")
    clerk.locator("#result_list").get_by_role("link", name=dossier.code).click()
    clerk.wait_for_url(f"**/admin/dossiers/dossier/{dossier.pk}/change/")
    assert "Đã thanh toán" in clerk.inner_text("#content")
    journey.look(clerk, "admin-dossier", who="staff")
    clerk_move(clerk, journey, "receive")
    clerk_move(clerk, journey, "start")
    clerk_move(clerk, journey, "finish", files=[documents["giay-phep-tham-do.pdf"]],
               note="Cấp giấy phép thăm dò nước dưới đất.")
    clerk_move(clerk, journey, "return_result", note="Đã gửi bản giấy qua bưu chính công ích.",
               fields={"#id_postal_tracking": "EP123456789VN"})  # the post's parcel number, for the citizen
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert "Đã trả kết quả" in clerk.inner_text("#content")
    journey.look(clerk, "admin-returned", who="staff")

    # --- The citizen sees the result and rates it -----------------------------------------------------
    citizen.goto(f"/ho-so/{dossier.code}/")
    assert citizen.locator("h1 + .badge").inner_text() == "Đã trả kết quả"
    timeline = citizen.inner_text(".timeline")
    for step in ("Nộp hồ sơ", "Đã nộp phí, lệ phí", "Tiếp nhận", "Bắt đầu xử lý", "Hoàn thành xử lý", "Trả kết quả"):
        assert step in timeline, step
    assert f"{FEE} — Đã thanh toán" in main_text(citizen)
    # The result goes by post, as chosen: the page says so, with the post's tracking number.
    assert "Đã gửi bản giấy qua bưu chính công ích." in timeline
    assert citizen.locator("dd", has_text="Nhận qua bưu chính công ích").count() == 1
    assert citizen.locator("#postal-tracking").inner_text() == "EP123456789VN"
    journey.look(citizen, "dossier-result")
    citizen.check("input[name=rating][value='5']")
    citizen.fill("#id_comment", "Nhanh, đúng hẹn, cán bộ hướng dẫn tận tình.")
    journey.look(citizen, "rating")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Bạn đã đánh giá: 5/5" in main_text(citizen)
    assert citizen.get_by_role("button", name="Gửi đánh giá").count() == 0  # once per dossier
    journey.look(citizen, "rated")
    lookup_key = citizen.locator("dd code").inner_text()
    clerk.reload()
    assert "Nhanh, đúng hẹn" in clerk.inner_text("#content")  # the rating, in the admin

    # --- An anonymous visitor looks the dossier up by its code and key -------------------------------
    visitor = open_page(browser, settings.SITE_URL, viewport)
    visitor.set_default_timeout(TIMEOUT_MS)
    visitor.goto("/tra-cuu-ho-so/")
    visitor.fill("#id_code", dossier.code)
    visitor.fill("#id_key", lookup_key)
    journey.look(visitor, "lookup")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Tra cứu").click()
    assert visitor.url.endswith("/tra-cuu-ho-so/")  # the key went by POST, not in the address
    found = main_text(visitor)
    assert dossier.code in found and "Đã trả kết quả" in found and base.name in found
    assert "Trần Thị Hồng Nhung" not in found  # the public page names no one
    journey.look(visitor, "lookup-result")

    # --- Each e-mail arrived once --------------------------------------------------------------------
    expected = sorted([
        "Xác nhận đăng ký tài khoản sử dụng Cổng dịch vụ công trực tuyến",
        f"Đã nộp hồ sơ {dossier.code}",
        f"Biên lai điện tử: đã thanh toán phí, lệ phí hồ sơ {dossier.code}",
        f"Hồ sơ {dossier.code} đã được tiếp nhận — hẹn trả {dossier.due_date:%d/%m/%Y}",
        f"Hồ sơ {dossier.code}: Đang xử lý",
        f"Hồ sơ {dossier.code}: Đã xử lý xong",
        f"Hồ sơ {dossier.code}: Đã trả kết quả",
    ])
    received = smtp_sink.wait_for(lambda m: m["To"] == EMAIL, count=len(expected), timeout=E_MAIL_TIMEOUT)
    assert sorted(subject(m) for m in received) == expected
    assert Email.objects.filter(to=EMAIL).count() == len(expected)
    [paid_mail] = [m for m in received if subject(m).startswith("Biên lai")]
    assert [a.get_content_type() for a in paid_mail.iter_attachments()] == ["application/pdf"]
    for page in (citizen, clerk, visitor):
        assert page.console_errors == []
        page.context.close()
    assert len(journey.steps) == 30, journey.steps


def _clerk(agency):
    """A one-stop clerk of the agency with every role, a password and a paired authenticator app."""
    from tests.factories.dossiers import Builder

    user = Builder().clerk(agency)
    user.set_password(CLERK_PASSWORD)
    user.save()
    totp_device(user)
    return user
