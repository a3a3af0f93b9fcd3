"""The README's citizen path in Chromium, against `make run` itself on a fresh database.

Nothing from the test suite is in between: `make run` is started as a newcomer starts it (the embedded
defaults: SQLite in a new var/ folder, tasks in-process, e-mails to files, the payment sandbox, demo data from
seed_demo), with only what the README allows scripts to add (CAPTCHA_TEST_MODE=1, the captcha answering
"PASSED"). Then, as the README says: register and open the confirmation e-mail in the demo mailbox; log in as
the demo citizen with the password `make run` printed; find the procedure typing without diacritics and open
1.004232.000.00.00.H34; submit a dossier with its files; pay the fee at the bank (VNPay sandbox, NCB test card,
OTP 123456); follow it in "Hồ sơ của tôi"; look it up anonymously with the code and the lookup key.
(The clerk's half is tests/e2e/test_clerk_readme.py.)

The second test walks the README's newer bullets on the same server: log in through the sandbox national identity
provider; book the one-stop counter and cancel through the e-mail's link; the wallet; SMS notices verified by the SMS
sandbox's code; a receipt (the demo citizen submits, a demo clerk pairs an authenticator and receives) checked at
/xac-thuc-van-ban/; the API's docs with no request leaving the server; acting for someone.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from tests.conftest import ROOT
from tests.e2e.axe import ROOT as AXE_ROOT
from tests.e2e.axe import AxeLog, axe_source, describe
from tests.e2e.conftest import app_code, assert_fits_width, choose, open_page, outcome, pay_at, shot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CODE = "1.004232.000.00.00.H34"
CITIZEN = "congdan@kontum.example"  # demo.data.CITIZEN, as `make run` prints it
TIMEOUT_MS = 30_000
START_TIMEOUT_S = 240  # migrate a new SQLite file, seed the demo data, start runserver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """`make run` on a free port with a new var/ folder and none of the test run's services in its environment.

    One server for the module (it takes ~17 s to start): each test signs in as its own people, in its own browser
    contexts, and relies on nothing another test did.
    """
    tmp_path = tmp_path_factory.mktemp("make-run")
    port = _free_port()
    var = tmp_path / "var"
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if key in os.environ}
    env.update(PORTAL_VAR_DIR=str(var), CAPTCHA_TEST_MODE="1", PYTHONUNBUFFERED="1")
    venv = Path(sys.prefix)
    log = (tmp_path / "make-run.log").open("w")
    server = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}", f"VENV={venv}", f"PYTHON={sys.executable}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            assert server.poll() is None, (tmp_path / "make-run.log").read_text()[-4000:]
            assert time.monotonic() < deadline, "make run did not serve within the timeout"
            try:
                with urlopen(base + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (URLError, OSError):
                time.sleep(1)
        yield base, (tmp_path / "make-run.log"), var
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


@pytest.fixture
def documents(browser, tmp_path):
    """Four different PDFs made by Chromium (a dossier refuses the same bytes twice)."""
    page = browser.new_page()
    files = []
    for n, title in enumerate(["Đơn đề nghị", "Đề án thăm dò", "Ý kiến UBND xã", "Quyết định thành lập",
                               "Bản sao giấy tờ", "Tài liệu khác"]):
        page.set_content(f"<h1>{title}</h1><p>Tỉnh Kon Tum, năm 2026, bản {n}.</p>")
        path = tmp_path / f"tai-lieu-{n}.pdf"
        path.write_bytes(page.pdf(format="A4"))
        files.append(path)
    page.close()
    return files


def _main(page) -> str:
    return page.inner_text("main")


class Walk:
    """The steps of one walk: each page photographed at rest (artifacts/screenshots/make-run-readme/<prefix>NN-name),
    then judged: no console error, nothing wider than the viewport, no serious or critical axe violation."""

    def __init__(self, axe: AxeLog, *, prefix: str = ""):
        self.axe, self.prefix, self.steps = axe, prefix, []

    def __call__(self, page, name: str, *, viewport: str = "phone", check_axe: bool = True,
                 known: frozenset[str] = frozenset()) -> None:
        """`known`: axe rules a third party's markup breaks and the portal cannot change (named at the call)."""
        self.steps.append(name)
        shot(page, "make-run-readme", f"{self.prefix}{len(self.steps):02d}-{name}", viewport)
        assert page.console_errors == [], f"{name}: {page.console_errors}"
        assert_fits_width(page)
        if check_axe:
            blocking = [v for v in self.axe.check(page, name) if v["id"] not in known]
            assert not blocking, f"{name}: axe found\n{describe(blocking)}"


def _demo_passwords(var: Path) -> dict[str, str]:
    """The demo accounts' passwords, as `make run` wrote them in var/demo-accounts.txt."""
    return dict(line.split("\t", 1) for line in (var / "demo-accounts.txt").read_text().splitlines())


def _log_in(page, email: str, password: str) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit] >> text=Đăng nhập")
    page.wait_for_url("**/tai-khoan/")


def _submit_dossier(page, look, documents) -> tuple[str, str]:
    """From the procedure's page: "Nộp hồ sơ trực tuyến", the four steps, submitted; return (code, lookup key)."""
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.wait_for_url("**/buoc-1/")
    assert page.input_value("#id_applicant_name") == "Nguyễn Văn An"  # from the demo citizen's profile
    page.click("text=Lưu và tiếp tục")
    page.wait_for_url("**/buoc-2/")
    slots = page.locator("input[type=file][id^=files_]")
    assert 1 <= slots.count() <= len(documents)
    for n in range(slots.count()):
        slots.nth(n).set_input_files(str(documents[n]))
    look(page, "files")
    page.click("button[value=next]")
    _steps_three_and_four(page, look)
    text = _main(page)
    code = re.search(r"Mã hồ sơ: (\S+)\.", text).group(1)
    assert page.locator("h1 + .badge").inner_text() == "Mới đăng ký"
    assert "Chưa thanh toán" in text
    lookup_key = page.locator("dd code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4,}", lookup_key), lookup_key
    look(page, "submitted")
    return code, lookup_key


def _steps_three_and_four(page, look) -> None:
    """From step 2 saved: handed in online, the result electronic, confirmed and submitted."""
    page.get_by_role("heading", name="Hình thức nộp và nhận kết quả").wait_for()
    page.check("input[name=submit_method][value=online]")
    page.check("input[name=result_method][value=electronic]")
    page.click("text=Lưu và tiếp tục")
    page.wait_for_url("**/buoc-4/")
    page.check("#id_confirm")
    page.fill("#id_captcha_1", "PASSED")
    look(page, "review")
    page.click("#submit-button")
    page.wait_for_url("**/ho-so/*/")


def test_the_readme_citizen_path_on_make_run(browser, make_run, documents):
    base, log_path, var = make_run
    printed = log_path.read_text()
    password = _demo_passwords(var)[CITIZEN]
    assert CITIZEN in printed and password in printed  # `make run` prints the demo accounts

    walk = Walk(AxeLog(AXE_ROOT / "artifacts" / "axe" / "make-run-readme.json", source=axe_source()))
    page = open_page(browser, base, "phone")
    page.set_default_timeout(TIMEOUT_MS)

    def look(name: str) -> None:
        walk(page, name)

    # --- Register; the confirmation e-mail is in the demo mailbox ------------------------------------
    page.goto("/tai-khoan/dang-ky/")
    page.fill("#id_full_name", "Lê Thị Thu Hà")
    page.fill("#id_date_of_birth", "1995-03-08")
    page.check("input[name=gender][value=female]")
    page.fill("#id_identity_number", "062195004321")
    page.fill("#id_phone", "0905 222 333")
    page.fill("#id_email", "thuha.le@example.vn")
    with page.expect_response("**/tai-khoan/xa-phuong/?tinh=51"):
        page.select_option("#id_province_code", "51")
    page.select_option("#id_commune_code", index=1)
    page.fill("#id_street_address", "12 Trần Hưng Đạo")
    page.fill("#id_password1", "Mật khẩu của Thu Hà 2026")
    page.fill("#id_password2", "Mật khẩu của Thu Hà 2026")
    page.fill("#id_captcha_1", "PASSED")
    look("register")
    page.click("button[type=submit] >> text=Đăng ký")
    page.wait_for_url("**/tai-khoan/dang-ky/da-gui/")
    page.goto("/tai-khoan/hop-thu/")
    mail = page.locator("a.list-group-item", has_text="thuha.le@example.vn")
    assert mail.count() == 1, _main(page)
    assert "Xác nhận đăng ký tài khoản" in mail.inner_text()
    look("mailbox")
    mail.click()
    link = re.search(r"https?://\S+/tai-khoan/xac-nhan/\S+/", _main(page))
    assert link and link.group(0).startswith(base), _main(page)
    page.goto(link.group(0))
    page.wait_for_url("**/tai-khoan/dang-nhap/")
    assert "Tài khoản của bạn đã được kích hoạt" in _main(page)
    look("confirmed")

    # --- The demo citizen logs in with the printed password ------------------------------------------
    page.context.clear_cookies()
    _log_in(page, CITIZEN, password)

    # --- Finds the procedure typing without diacritics and opens it ----------------------------------
    page.goto("/thu-tuc/")
    page.fill("input[name=q]", "cap phep tham do nuoc")
    page.locator("input[name=q]").press("Enter")
    page.wait_for_url("**/thu-tuc/?*q=*")
    link = page.locator(f"a[href='/thu-tuc/{CODE}/']").first
    assert link.count() == 1, _main(page)
    look("search")
    link.click()
    page.wait_for_url(f"**/thu-tuc/{CODE}/")
    assert CODE in _main(page)
    look("procedure")

    # --- Submits a dossier with its files ---------------------------------------------------------------
    code, lookup_key = _submit_dossier(page, walk, documents)

    # --- Pays at the bank: VNPay sandbox, NCB test card, OTP 123456 --------------------------------------
    page.get_by_role("link", name="Thanh toán phí/lệ phí").click()
    page.wait_for_url(f"**/thanh-toan/ho-so/{code}/")
    look("fee")
    choose(page, "vnpay")
    pay_at(page, "vnpay")
    assert outcome(page) == "Thanh toán thành công"
    assert f"cho hồ sơ {code}" in _main(page)
    look("paid")

    # --- Follows it in "Hồ sơ của tôi" ------------------------------------------------------------------
    page.goto("/ho-so/")
    assert code in _main(page)
    look("mine")
    page.goto(f"/ho-so/{code}/")
    assert "Đã thanh toán" in _main(page)
    assert "Nộp hồ sơ" in page.inner_text(".timeline")

    # --- Anyone looks it up with the code and the key on the receipt ------------------------------------
    visitor = open_page(browser, base, "phone")
    visitor.set_default_timeout(TIMEOUT_MS)
    visitor.goto("/tra-cuu-ho-so/")
    visitor.fill("#id_code", code)
    visitor.fill("#id_key", lookup_key)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Tra cứu").click()
    assert visitor.url.endswith("/tra-cuu-ho-so/")  # the key went by POST, not in the address
    found = _main(visitor)
    assert code in found and "Mới đăng ký" in found
    assert "Nguyễn Văn An" not in found  # the public page names no one
    assert visitor.console_errors == []
    visitor.context.close()
    page.context.close()
    walk.axe.write()
    assert len(walk.steps) == 11, walk.steps


CLERK = "canbo.stnmt@kontum.example"  # demo.data.CLERKS[0]: the Department of Natural Resources, which receives CODE
NATIONAL_ID, NATIONAL_PASSWORD = "062090000001", "123456"  # the sandbox provider's first test citizen (README)


def test_the_readme_services_on_make_run(browser, make_run, documents, tmp_path):
    """The README's newer bullets, as it writes them, on the data `make run` seeds: national login, a counter
    appointment moved by its e-mail's link, the wallet, SMS notices, a signed receipt checked, the API's docs,
    acting for someone."""
    base, _, var = make_run
    walk = Walk(AxeLog(AXE_ROOT / "artifacts" / "axe" / "make-run-readme-services.json", source=axe_source()),
                prefix="svc-")
    contexts = []

    def new_page(viewport: str = "phone"):
        page = open_page(browser, base, viewport)
        page.set_default_timeout(TIMEOUT_MS)
        contexts.append(page.context)
        return page

    try:
        _walk_the_services(new_page, walk, base, var, documents, tmp_path)
    finally:
        walk.axe.write()
        for context in contexts:
            context.close()


def _walk_the_services(new_page, walk, base, var, documents, tmp_path):
    page = new_page()

    # --- a. Log in through the national identity provider (the sandbox's test citizen) ------------------------
    page.goto("/tai-khoan/dang-nhap/")
    national = page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)")
    assert national.bounding_box()["y"] < page.locator("#id_username").bounding_box()["y"]  # shown first
    walk(page, "login")
    national.click()
    page.wait_for_url("**/sandbox/idp/authorize/**")
    assert page.get_by_role("note").inner_text().startswith("MÔI TRƯỜNG THỬ NGHIỆM")
    page.get_by_label("Số định danh cá nhân").fill(NATIONAL_ID)
    page.get_by_label("Mật khẩu").fill(NATIONAL_PASSWORD)
    walk(page, "idp")
    page.get_by_role("button", name="Đăng nhập").click()
    # No demo account holds this CCCD (the demo citizen's is another), so the portal opens a new account from
    # the provider's data, with no password to type.
    page.wait_for_url("**/tai-khoan/")
    assert "Đã đăng nhập bằng tài khoản định danh quốc gia." in _main(page)
    assert NATIONAL_ID in _main(page) and page.input_value("#id_full_name") == "Nguyễn Văn An"  # from the provider
    walk(page, "signed-in")

    # --- b. Book the one-stop counter from a procedure's page; the e-mail's link moves then cancels it -------
    page.goto(f"/thu-tuc/{CODE}/")
    page.get_by_role("link", name="Đặt lịch hẹn").click()
    page.wait_for_url("**/lich-hen/dat/*/?*")
    assert page.get_by_role("heading", level=1).inner_text() == "Đặt lịch hẹn tại Bộ phận một cửa"
    walk(page, "book")
    slot = page.locator("details[open] input.btn-check:not([disabled]) + label").first
    chosen = slot.locator(".slot-time").inner_text()
    slot.click()
    page.get_by_role("button", name="Đặt lịch hẹn").click()
    page.wait_for_url("**/lich-hen/")
    assert f"Đã đặt lịch hẹn lúc {chosen}" in page.locator(".alert-success").inner_text()
    walk(page, "booked")
    page.goto("/tai-khoan/hop-thu/")
    mail = page.locator("a.list-group-item", has_text="Xác nhận lịch hẹn").first
    assert mail.count() == 1, _main(page)
    mail.click()
    text = _main(page)
    assert chosen in text and "Tệp lịch (.ics) đính kèm" in text, text
    assert page.locator("#mail-attachments").inner_text() == "lich-hen.ics"  # the calendar file is there
    walk(page, "booking-mail")
    link = re.search(r"https?://\S+(/lich-hen/ve/\S+/)", text).group(1)
    visitor = new_page()  # signed out
    visitor.goto(link)
    assert chosen in visitor.locator("#booking-summary").inner_text()
    walk(visitor, "booking-link")
    visitor.get_by_role("button", name="Hủy lịch hẹn").click()
    assert "Đã hủy lịch hẹn" in visitor.locator(".alert-success").inner_text()
    assert visitor.locator("#booking-status").inner_text() == "Đã hủy"
    walk(visitor, "booking-cancelled")

    # --- c. The wallet ------------------------------------------------------------------------------------------
    page.goto("/tai-khoan/kho-giay-to/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kho giấy tờ của tôi"
    assert "Kho chưa có giấy tờ nào." in page.locator("#wallet-empty").inner_text()  # a new account
    walk(page, "wallet")

    # --- d. SMS notices: the code from the SMS sandbox's page ----------------------------------------------------
    page.goto("/tai-khoan/thong-bao/")
    walk(page, "notices")
    page.fill("#id_phone", "0905 111 222")
    page.get_by_role("button", name="Gửi mã xác minh").click()
    page.get_by_text("Đã gửi mã xác minh bằng SMS.").wait_for()
    sms = new_page()
    sms.goto("/sandbox/sms/")
    newest = sms.locator("#received tbody tr").first.inner_text()
    walk(sms, "sms-sandbox")
    code = re.search(r"\b(\d{6})\b", newest).group(1)
    page.fill("#id_code", code)
    page.get_by_role("button", name="Xác minh", exact=True).click()
    page.get_by_text("Đã xác minh số điện thoại nhận tin.").wait_for()
    page.check("#id_sms")
    page.get_by_role("button", name="Lưu lựa chọn").click()
    page.get_by_text("Đã lưu lựa chọn nhận tin.").wait_for()
    assert page.is_checked("#id_sms")
    walk(page, "notices-on")

    # --- g. Acting for someone: the form to authorise by CCCD ---------------------------------------------------
    page.goto("/tai-khoan/uy-quyen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ủy quyền, thao tác thay"
    assert page.get_by_label("Số CCCD của người được ủy quyền").is_visible()
    walk(page, "representation")

    # --- f. The integration API's docs, served by the portal (no CDN) -------------------------------------------
    docs = new_page()
    requested = []
    docs.on("request", lambda request: requested.append(request.url))
    response = docs.goto("/api/v1/docs")
    assert response.status == 200
    docs.wait_for_selector(".opblock")
    assert docs.locator(".opblock").count() >= 1 and docs.get_by_text("/api/v1/procedures").count()
    # Swagger UI draws each operation's summary as a button holding a link and a copy button (nested-interactive):
    # its own React markup, not the portal's page; everything else on the page must pass.
    walk(docs, "api-docs", known=frozenset({"nested-interactive"}))
    assert requested and [url for url in requested if not url.startswith(base + "/")] == []  # no CDN

    # --- e. A signed receipt checked at /xac-thuc-van-ban/ ------------------------------------------------------
    # make run seeds no dossier: the demo citizen submits one, a demo clerk receives it (README: the receipt
    # exists only then), the citizen downloads the receipt from the dossier's page and has it checked.
    passwords = _demo_passwords(var)
    citizen = new_page()
    _log_in(citizen, CITIZEN, passwords[CITIZEN])
    citizen.goto(f"/thu-tuc/{CODE}/")
    dossier, _ = _submit_dossier(citizen, walk, documents)
    clerk = new_page("desktop")
    _log_in(clerk, CLERK, passwords[CLERK])
    clerk.goto("/tai-khoan/xac-thuc-hai-lop/")
    clerk.fill("#id_token", app_code(clerk.locator("code.user-select-all").inner_text()))
    clerk.get_by_role("button", name="Xác nhận").click()
    clerk.wait_for_url("**/admin/")
    clerk.goto("/admin/dossiers/dossier/")
    clerk.locator("#result_list").get_by_role("link", name=dossier).click()
    clerk.locator("a.dossier-move-receive").click()
    clerk.wait_for_url("**/move/receive/")
    clerk.click("#move-submit")
    clerk.wait_for_url("**/change/")
    assert clerk.locator(".messagelist .success").count() == 1, clerk.locator(".messagelist").inner_text()
    citizen.goto(f"/ho-so/{dossier}/")
    link = citizen.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)")
    # Chromium shows the PDF inline; fetch the same address with the citizen's cookies, as "Save as" would.
    answer = citizen.context.request.get(link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    receipt = tmp_path / f"giay-tiep-nhan-{dossier}.pdf"
    receipt.write_bytes(answer.body())
    citizen.goto("/xac-thuc-van-ban/")
    walk(citizen, "verify")
    citizen.get_by_label("Văn bản điện tử (PDF)").set_input_files(str(receipt))
    citizen.get_by_role("button", name="Kiểm tra chữ ký").click()
    result = citizen.locator("#ket-qua")
    result.wait_for()
    text = result.inner_text()
    assert "✔ Hợp lệ" in text and "Sở Tài nguyên và Môi trường" in text, text
    assert "Nội dung không bị thay đổi sau khi ký." in text, text
    walk(citizen, "verified")
    assert len(walk.steps) == 19, walk.steps


BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh, in the national catalogue
# The README's searches, typed as it writes them, and the procedure each means (tests/procedures/catalogue_queries.py).
README_SEARCHES = {"khai sihn": BIRTH, "dang ki ket hon": "1.000894", "lam so do": "1.013978"}
MOST_UPLOADS = 8  # the birth registration's mandatory uploads on its lightest path (issue 25: 33 before)


def test_the_readme_real_catalogue_on_make_run(browser, make_run, tmp_path):
    """The README's bullet on the real national catalogue, beside the running `make run`: the import command as it
    is written (twice: the second changes nothing), the searches it names find what they mean at once (no restart),
    the short code redirects, and the demo citizen submits a birth registration: their own commune preselected,
    the case asked first, a handful of uploads, not the national text's every line."""
    from tests.procedures.national_data import data_dir

    base, _, var = make_run
    data = data_dir() / "tthc_all.jsonl.gz"
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if key in os.environ}
    env.update(PORTAL_VAR_DIR=str(var), DJANGO_DEBUG="1")  # as the README writes it, beside `make run`
    command = [sys.executable, "manage.py", "import_national_procedures", str(data), "--quiet-rows"]
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-3000:]
    created, updated = map(int, re.search(r"(\d+) tạo mới, (\d+) cập nhật, 0 không đổi, 0 bị từ chối",
                                          first.stdout).groups())
    assert created + updated == 2642, first.stdout[-2000:]  # the demo's procedures with a national code: updated
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "0 tạo mới, 0 cập nhật, 2642 không đổi, 0 bị từ chối" in again.stdout, again.stdout

    walk = Walk(AxeLog(AXE_ROOT / "artifacts" / "axe" / "make-run-readme-national.json", source=axe_source()),
                prefix="national-")
    page = open_page(browser, base, "phone")
    page.set_default_timeout(TIMEOUT_MS)
    try:
        _log_in(page, CITIZEN, _demo_passwords(var)[CITIZEN])
        for typed, meant in README_SEARCHES.items():
            page.goto("/thu-tuc/?" + urlencode({"q": typed}))
            firsts = page.locator("tbody tr td.procedure-code").all_inner_texts()[:3]
            assert any(code.startswith(meant) for code in firsts), (typed, firsts)
        walk(page, "search")

        page.goto(f"/thu-tuc/{BIRTH}/")  # the short code redirects to the procedure's page
        page.wait_for_url(f"**/thu-tuc/{BIRTH}.*/")
        assert "khai sinh" in page.get_by_role("heading", level=1).inner_text()
        walk(page, "procedure")
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
        page.wait_for_url("**/buoc-1/")
        agency = page.locator("select[name=agency] option:checked").inner_text()
        assert "Kon Tum" in agency, agency  # the demo citizen lives in Phường Kon Tum: its People's Committee
        walk(page, "step-1")
        page.click("text=Lưu và tiếp tục")
        page.wait_for_url("**/buoc-2/")

        if "Hồ sơ của bạn thuộc trường hợp nào?" in _main(page):
            page.locator("input[type=radio][name=case]").first.check()
            walk(page, "case")
            page.get_by_role("button", name="Tiếp tục").click()
        slots = page.locator("input[type=file][id^=files_]:visible")
        slots.first.wait_for()
        assert 1 <= slots.count() <= MOST_UPLOADS, _main(page)
        for n in range(slots.count()):
            path = tmp_path / f"giay-to-{n}.pdf"
            path.write_bytes(_pdf(browser, f"Giấy tờ số {n + 1}"))
            slots.nth(n).set_input_files(str(path))
        walk(page, "files")
        page.get_by_role("button", name="Lưu và tiếp tục").click()
        _steps_three_and_four(page, walk)
        assert page.locator("h1 + .badge").inner_text() == "Mới đăng ký"
        assert "khai sinh" in _main(page)
        walk(page, "submitted")
    finally:
        walk.axe.write()
        page.context.close()


def _pdf(browser, title: str) -> bytes:
    """A small PDF of its own made by Chromium (a dossier refuses the same bytes twice)."""
    page = browser.new_page()
    try:
        page.set_content(f"<h1>{title}</h1><p>Tỉnh Kon Tum, năm 2026.</p>")
        return page.pdf(format="A4")
    finally:
        page.close()
