"""The README's clerk path, in Chromium, on a database seeded by `seed_demo` (not fixtures).

As a newcomer: run seed_demo, read a demo clerk's password in var/demo-accounts.txt, log in on the portal,
pair an authenticator app at /tai-khoan/xac-thuc-hai-lop/ (the test is the app: it reads the secret the page
shows and computes the code), then in /admin/ → Hồ sơ receive a citizen's dossier, process it, request a
supplement (the demo citizen answers it), finish with the result file and return the result.
"""

import pytest
from django.core.management import call_command

from accounts.models import User
from demo import data as demo_data
from dossiers.constants import DossierAction, DossierStatus
from dossiers.services import dossier_submit, dossier_supplement_answer
from procedures.models import Procedure
from tests.factories.dossiers import PDF, Builder, pdf_upload
from tests.e2e.axe import ROOT as ROOT_DIR
from tests.e2e.axe import AxeLog, axe_source, describe
from tests.e2e.conftest import app_code, open_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 20_000


@pytest.fixture
def seeded(settings, tmp_path, capsys):
    """`make seed`, as a newcomer runs it: the demo catalogue and accounts, passwords in var/."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo")
    printed = capsys.readouterr().out
    passwords = dict(line.split("\t", 1) for line in (settings.VAR_DIR / "demo-accounts.txt").read_text().splitlines())
    return printed, passwords


def test_a_demo_clerk_walks_the_readme_path(browser, live_server, seeded, settings, tmp_path):
    printed, passwords = seeded
    settings.SITE_URL = live_server.url
    # The demo citizen's dossier, waiting at a demo clerk's agency (the citizen's part is the journey test's).
    clerks = {email: codes for email, _, codes in demo_data.CLERKS}
    procedure = Procedure.objects.filter(agencies__code__in=clerks[demo_data.CLERKS[0][0]], fees__isnull=True,
                                         is_active=True).distinct().first() or Procedure.objects.filter(
        agencies__code__in=clerks[demo_data.CLERKS[0][0]], is_active=True, pay_before_processing=False).first()
    assert procedure is not None
    clerk_email = demo_data.CLERKS[0][0]
    citizen = User.objects.get(email=demo_data.CITIZEN["email"])
    dossier = dossier_submit(dossier=Builder().ready_draft(procedure=procedure, owner=citizen), user=citizen)
    assert clerk_email in printed and passwords[clerk_email] in printed  # what `make run` prints

    log = AxeLog(ROOT_DIR / "artifacts" / "axe" / "clerk-readme.json", source=axe_source())
    page = open_page(browser, live_server.url, "desktop")
    page.set_default_timeout(TIMEOUT_MS)
    steps = []

    def look(name, *, staff=True):
        steps.append(name)
        shot(page, "clerk-readme", f"{len(steps):02d}-{name}", "desktop")
        assert page.console_errors == [], f"{name}: {page.console_errors}"
        blocking = log.check(page, name, cssom=not staff)
        assert not blocking, f"{name}: axe found\n{describe(blocking)}"

    try:
        # 1. Log in on the portal with the printed password.
        page.goto("/tai-khoan/dang-nhap/")
        page.fill("#id_username", clerk_email)
        page.fill("#id_password", passwords[clerk_email])
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        # The admin is closed to the password alone.
        page.goto("/admin/dossiers/dossier/")
        assert "/admin/login/" in page.url
        # 2. Pair the authenticator app.
        page.goto("/tai-khoan/xac-thuc-hai-lop/")
        look("pair", staff=False)
        secret = page.locator("code.user-select-all").inner_text()
        page.fill("#id_token", app_code(secret))
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url("**/admin/")
        look("admin-index")
        # 3. /admin/ → Hồ sơ.
        page.locator("#content-main a[href$='/dossiers/dossier/']").first.click()
        page.wait_for_url("**/admin/dossiers/dossier/")
        assert dossier.code in page.inner_text("#result_list")
        look("dossiers")
        page.locator("#result_list").get_by_role("link", name=dossier.code).click()
        page.wait_for_url(f"**/admin/dossiers/dossier/{dossier.pk}/change/")
        look("dossier")

        def move(action, *, note="", files=()):
            page.locator(f"a.dossier-move-{action}").click()
            page.wait_for_url(f"**/move/{action}/")
            if note:
                page.fill("#id_note", note)
            if files:
                page.set_input_files("#id_files", [str(f) for f in files])
            look(f"move-{action.replace('_', '-')}")
            page.click("#move-submit")
            page.wait_for_url("**/change/")
            assert page.locator(".messagelist .success").count() == 1, page.locator(".messagelist").inner_text()

        move(DossierAction.RECEIVE)
        move(DossierAction.START)
        move(DossierAction.REQUEST_SUPPLEMENT, note="Bổ sung bản vẽ vị trí công trình có xác nhận của xã.")
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.SUPPLEMENT
        # The citizen answers the supplement request (on the portal, in the journey test).
        dossier_supplement_answer(dossier=dossier, user=citizen, note="Đã bổ sung bản vẽ.", files=[pdf_upload()])
        page.reload()
        result = tmp_path / "ket-qua.pdf"
        result.write_bytes(PDF)
        move(DossierAction.FINISH, files=[result])
        move(DossierAction.RETURN_RESULT, note="Đã trả kết quả tại Bộ phận một cửa.")
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.RETURNED
        assert "Đã trả kết quả" in page.inner_text("#content")
        look("returned")
        # The clerk's visits are in the access audit the operator reads.
        from audit.models import AccessRecord

        assert AccessRecord.objects.filter(actor_email=clerk_email, kind="dossier", ref=dossier.code).exists()
    finally:
        log.write()
        page.context.close()
    assert len(steps) == 10, steps
