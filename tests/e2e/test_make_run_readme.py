"""The README's citizen path in Chromium, against `make run` itself on a fresh database.

Nothing from the test suite is in between: `make run` is started as a newcomer starts it (the embedded
defaults: SQLite in a new var/ folder, tasks in-process, e-mails to files, the payment sandbox, demo data from
seed_demo), with only what the README allows scripts to add (CAPTCHA_TEST_MODE=1, the captcha answering
"PASSED"). Then, as the README says: register and open the confirmation e-mail in the demo mailbox; log in as
the demo citizen with the password `make run` printed; find the procedure typing without diacritics and open
1.004232.000.00.00.H34; submit a dossier with its files; pay the fee at the bank (VNPay sandbox, NCB test card,
OTP 123456); follow it in "Hồ sơ của tôi"; look it up anonymously with the code and the lookup key.
(The clerk's half is tests/e2e/test_clerk_readme.py.)
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
from urllib.request import urlopen

import pytest

from tests.conftest import ROOT
from tests.e2e.axe import ROOT as AXE_ROOT
from tests.e2e.axe import AxeLog, axe_source, describe
from tests.e2e.conftest import assert_fits_width, choose, open_page, outcome, pay_at, shot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CODE = "1.004232.000.00.00.H34"
CITIZEN = "congdan@kontum.example"  # demo.data.CITIZEN, as `make run` prints it
TIMEOUT_MS = 30_000
START_TIMEOUT_S = 240  # migrate a new SQLite file, seed the demo data, start runserver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def make_run(tmp_path):
    """`make run` on a free port with a new var/ folder and none of the test run's services in its environment."""
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


def test_the_readme_citizen_path_on_make_run(browser, make_run, documents):
    base, log_path, var = make_run
    printed = log_path.read_text()
    accounts = dict(line.split("\t", 1) for line in (var / "demo-accounts.txt").read_text().splitlines())
    password = accounts[CITIZEN]
    assert CITIZEN in printed and password in printed  # `make run` prints the demo accounts

    axe = AxeLog(AXE_ROOT / "artifacts" / "axe" / "make-run-readme.json", source=axe_source())
    steps: list[str] = []
    page = open_page(browser, base, "phone")
    page.set_default_timeout(TIMEOUT_MS)

    def look(name: str, *, check_axe: bool = True) -> None:
        steps.append(name)
        shot(page, "make-run-readme", f"{len(steps):02d}-{name}", "phone")
        assert page.console_errors == [], f"{name}: {page.console_errors}"
        assert_fits_width(page)
        if check_axe:
            blocking = axe.check(page, name)
            assert not blocking, f"{name}: axe found\n{describe(blocking)}"

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
    page.goto("/tai-khoan/dang-nhap/")
    page.fill("#id_username", CITIZEN)
    page.fill("#id_password", password)
    page.click("button[type=submit] >> text=Đăng nhập")
    page.wait_for_url("**/tai-khoan/")

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
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.wait_for_url("**/buoc-1/")
    assert page.input_value("#id_applicant_name") == "Nguyễn Văn An"  # from the demo citizen's profile
    page.click("text=Lưu và tiếp tục")
    page.wait_for_url("**/buoc-2/")
    slots = page.locator("input[type=file][id^=files_]")
    assert 1 <= slots.count() <= len(documents)
    for n in range(slots.count()):
        slots.nth(n).set_input_files(str(documents[n]))
    look("files")
    page.click("button[value=next]")
    page.get_by_role("heading", name="Hình thức nộp và nhận kết quả").wait_for()
    page.check("input[name=submit_method][value=online]")
    page.check("input[name=result_method][value=electronic]")
    page.click("text=Lưu và tiếp tục")
    page.wait_for_url("**/buoc-4/")
    page.check("#id_confirm")
    page.fill("#id_captcha_1", "PASSED")
    look("review")
    page.click("#submit-button")
    page.wait_for_url("**/ho-so/*/")
    text = _main(page)
    code = re.search(r"Mã hồ sơ: (\S+)\.", text).group(1)
    assert page.locator("h1 + .badge").inner_text() == "Mới đăng ký"
    assert "Chưa thanh toán" in text
    lookup_key = page.locator("dd code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4,}", lookup_key), lookup_key
    look("submitted")

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
    assert len(steps) == 11, steps
