"""Login through the national identity provider, against the sandbox provider on a live server (real HTTP).

What a citizen sees: the account it lands in, the link to an existing account only with its password, each way the
provider can misbehave refused with its own Vietnamese message and no session, a procedure that asks for a national
login's level of assurance, and a logout that ends both sessions.
"""

import pytest
import requests

from accounts.models import NationalIdentity, User
from dossiers.constants import DossierStatus

from .conftest import AN, BINH, CUONG, Browser, csrf, misbehave

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def test_a_first_login_creates_the_account_from_the_confirmed_data(idp):
    browser = Browser(idp)
    profile = browser.national_login(AN)
    assert profile.status_code == 200 and "Đã đăng nhập bằng tài khoản định danh quốc gia" in profile.text
    user = User.objects.get(identity_number=AN)
    assert (user.full_name, user.email, user.phone) == ("Nguyễn Văn An", "an.nguyen@example.vn", "0905000001")
    assert user.email_confirmed_at is not None and user.is_active and not user.has_usable_password()
    assert str(user.date_of_birth) == "1990-03-15"
    link = NationalIdentity.objects.get(user=user)
    assert (link.issuer, link.identity_number, link.last_loa) == (idp + "/sandbox/idp", AN, 2)

    again = Browser(idp)  # another day: the provider's subject finds the same account
    again.national_login(AN)
    assert again.signed_in() and User.objects.filter(identity_number=AN).count() == 1


def test_without_an_email_from_the_provider_the_address_is_left_unconfirmed(idp):
    browser = Browser(idp)
    browser.national_login(CUONG)
    user = User.objects.get(identity_number=CUONG)
    assert browser.signed_in() and user.email_confirmed_at is None and user.email.endswith(".invalid")


def test_the_login_returns_to_the_page_asked_for(idp):
    browser = Browser(idp)
    landed = browser.national_login(BINH, next_url="/ho-so/")
    assert landed.url == idp + "/ho-so/"


def test_an_existing_account_is_linked_only_with_its_password(idp, build):
    owner = build.citizen(identity_number=BINH)
    browser = Browser(idp)
    page = browser.national_login(BINH)
    assert page.url == idp + "/tai-khoan/dang-nhap/quoc-gia/lien-ket/" and "Liên kết với tài khoản đã có" in page.text
    assert not browser.signed_in() and not NationalIdentity.objects.exists()

    wrong = browser.post(page.url, {"csrfmiddlewaretoken": csrf(browser.session, page.text), "password": "doan-bua"})
    assert wrong.status_code == 400 and "Mật khẩu không đúng." in wrong.text
    assert not browser.signed_in() and not NationalIdentity.objects.exists()

    done = browser.post(page.url, {"csrfmiddlewaretoken": csrf(browser.session, wrong.text), "password": "x-Secret-123"})
    assert done.status_code == 200 and browser.signed_in()
    assert NationalIdentity.objects.get().user == owner and User.objects.filter(identity_number=BINH).count() == 1

    later = Browser(idp)  # linked: no password asked again
    assert later.national_login(BINH).url == idp + "/tai-khoan/" and later.signed_in()


def test_guessing_the_password_of_the_linked_account_ends_the_attempt(idp, build):
    build.citizen(identity_number=BINH)
    browser = Browser(idp)
    page = browser.national_login(BINH)
    for _ in range(5):
        page = browser.post(idp + "/tai-khoan/dang-nhap/quoc-gia/lien-ket/",
                            {"csrfmiddlewaretoken": csrf(browser.session, page.text), "password": "sai"})
    assert page.status_code == 403 and "Nhập sai mật khẩu quá nhiều lần" in page.text
    assert browser.get("/tai-khoan/dang-nhap/quoc-gia/lien-ket/").status_code == 404


REFUSALS = {
    "wrong_audience": "không được cấp cho Cổng Dịch vụ công này (aud)",
    "expired": "đã hết hạn",
    "bad_signature": "Chữ ký của thông tin đăng nhập không hợp lệ",
    "unknown_key": "Chữ ký của thông tin đăng nhập không hợp lệ",
    "wrong_nonce": "không thuộc phiên đăng nhập này (nonce)",
    "wrong_state": "Phiên đăng nhập không khớp hoặc đã được dùng (state)",
}


@pytest.mark.parametrize("how", REFUSALS)
def test_each_misbehaviour_of_the_provider_is_refused_without_a_session(idp, how):
    misbehave(idp, AN, how)
    browser = Browser(idp)
    refused = browser.national_login(AN)
    assert refused.status_code == 403 and REFUSALS[how] in refused.text
    assert "Thử đăng nhập lại" in refused.text and "Đăng nhập bằng mật khẩu" in refused.text
    assert not browser.signed_in() and not User.objects.filter(identity_number=AN).exists()


def test_a_rotated_key_is_fetched_once_and_accepted(idp):
    first = Browser(idp)
    first.national_login(BINH)  # the portal now holds the provider's keys of before the rotation
    misbehave(idp, AN, "rotated_key")
    browser = Browser(idp)
    browser.national_login(AN)
    assert browser.signed_in() and User.objects.filter(identity_number=AN).exists()


def test_a_replayed_code_is_refused_even_where_the_provider_accepts_it_again(idp, settings):
    misbehave(idp, AN, "replayed_code")  # the provider exchanges this citizen's codes more than once
    # Injected into an attacker's own login (a state of its own): PKCE refuses it, and without PKCE the nonce.
    for pkce, why in ((True, "Mã xác thực không hợp lệ"), (False, "(nonce)")):
        settings.NATIONAL_IDP_PKCE = pkce
        victim = Browser(idp)
        victim.national_login(AN)
        callback = next(hop for hop in victim.hops if "/quoc-gia/ket-qua/" in hop)
        assert victim.signed_in()

        replay = Browser(idp)  # the same answer opened again (a copied address): its state is spent
        refused = replay.get(callback)
        assert refused.status_code == 403 and "(state)" in refused.text and not replay.signed_in()

        code = callback.split("code=")[1].split("&")[0]
        attacker = Browser(idp)
        attacker.start()
        state = attacker.authorize_query()["state"]
        refused = attacker.get(f"/tai-khoan/dang-nhap/quoc-gia/ket-qua/?code={code}&state={state}")
        assert refused.status_code == 403 and why in refused.text and not attacker.signed_in()


def test_a_cancelled_login_at_the_provider_is_told(idp):
    browser = Browser(idp)
    browser.start()
    state = browser.authorize_query()["state"]
    refused = browser.get(f"/tai-khoan/dang-nhap/quoc-gia/ket-qua/?error=access_denied&state={state}")
    assert refused.status_code == 403 and "Bạn đã hủy đăng nhập" in refused.text


def test_a_provider_out_of_reach_is_told(idp, settings):
    settings.NATIONAL_IDP_METADATA_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    browser = Browser(idp)
    refused = browser.start()
    assert refused.status_code == 403 and "Không kết nối được Cổng định danh quốc gia" in refused.text


def test_logout_ends_the_portal_session_and_the_providers(idp):
    browser = Browser(idp)
    profile = browser.national_login(AN)
    assert browser.session.cookies.get("sandbox_idp", path="/sandbox/idp/")
    browser.hops.clear()
    home = browser.post("/tai-khoan/dang-xuat/", {"csrfmiddlewaretoken": csrf(browser.session, profile.text)})
    assert home.status_code == 200 and home.url.split("?")[0] == idp + "/"
    assert any(hop.startswith(idp + "/sandbox/idp/logout/") and "id_token_hint=" in hop for hop in browser.hops)
    assert not browser.signed_in()
    assert not browser.session.cookies.get("sandbox_idp", path="/sandbox/idp/")
    page = browser.start()  # the provider asks for the credentials again
    assert "Đăng nhập tài khoản định danh điện tử" in page.text


def test_a_password_logout_goes_nowhere_else(idp, build):
    citizen = build.citizen()
    browser = Browser(idp)
    page = browser.get("/tai-khoan/dang-nhap/")
    browser.post("/tai-khoan/dang-nhap/", {"csrfmiddlewaretoken": csrf(browser.session, page.text),
                                           "username": citizen.email, "password": "x-Secret-123"})
    assert browser.signed_in()
    profile = browser.get("/tai-khoan/")
    browser.hops.clear()
    browser.post("/tai-khoan/dang-xuat/", {"csrfmiddlewaretoken": csrf(browser.session, profile.text)})
    assert browser.hops == [idp + "/"] and not browser.signed_in()


@pytest.fixture
def loa_procedure(build):
    return _with_loa(build.procedure(), 2)


def _with_loa(procedure, level):
    procedure.national_login_loa = level
    procedure.save(update_fields=["national_login_loa"])
    return procedure


def _submit(browser: Browser, draft) -> requests.Response:
    url = f"/ho-so/soan/{draft.uuid}/buoc-4/"
    page = browser.get(url)
    return browser.post(url, {"csrfmiddlewaretoken": csrf(browser.session, page.text), "confirm": "on",
                              "captcha_0": "x", "captcha_1": "PASSED"})


def test_a_procedure_asking_for_a_national_login_refuses_a_password_login(idp, build, loa_procedure, captcha_passes):
    citizen = build.citizen(identity_number=AN)
    draft = build.ready_draft(procedure=loa_procedure, owner=citizen)
    browser = Browser(idp)
    page = browser.get("/tai-khoan/dang-nhap/")
    browser.post("/tai-khoan/dang-nhap/", {"csrfmiddlewaretoken": csrf(browser.session, page.text),
                                           "username": citizen.email, "password": "x-Secret-123"})
    refused = _submit(browser, draft)
    assert refused.status_code == 403
    assert "yêu cầu đăng nhập bằng tài khoản định danh điện tử (VNeID) mức 2" in refused.text
    assert f"/tai-khoan/dang-nhap/quoc-gia/?next=%2Fho-so%2Fsoan%2F{draft.uuid}%2Fbuoc-4%2F" in refused.text
    draft.refresh_from_db()
    assert draft.status == DossierStatus.DRAFT

    # The link: a national login (linked with the password), back to the review step, and the submission goes.
    linking = browser.get(f"/tai-khoan/dang-nhap/quoc-gia/?next=/ho-so/soan/{draft.uuid}/buoc-4/")
    linking = browser.login_at_provider(linking, AN)
    back = browser.post(linking.url, {"csrfmiddlewaretoken": csrf(browser.session, linking.text),
                                      "password": "x-Secret-123"})
    assert back.url == idp + f"/ho-so/soan/{draft.uuid}/buoc-4/"
    submitted = _submit(browser, draft)
    draft.refresh_from_db()
    assert draft.status == DossierStatus.SUBMITTED and submitted.url == idp + f"/ho-so/{draft.code}/"


def test_a_national_login_below_the_level_asked_is_refused(idp, build, loa_procedure, captcha_passes):
    browser = Browser(idp)
    browser.national_login(CUONG)  # loAs 1
    draft = build.ready_draft(procedure=loa_procedure, owner=User.objects.get(identity_number=CUONG))
    refused = _submit(browser, draft)
    assert refused.status_code == 403 and "mức 2" in refused.text
    _with_loa(loa_procedure, 1)
    assert _submit(browser, draft).status_code == 200
    draft.refresh_from_db()
    assert draft.status == DossierStatus.SUBMITTED


def test_national_login_switched_off_answers_404(client, settings):
    settings.NATIONAL_LOGIN_ENABLED = False
    assert client.get("/tai-khoan/dang-nhap/quoc-gia/").status_code == 404
    assert "VNeID" not in client.get("/tai-khoan/dang-nhap/").content.decode()


def test_a_token_from_another_issuer_is_refused(idp, settings):
    settings.NATIONAL_IDP_ISSUER = "https://dangnhap.example.vn"  # the provider's id_token names its own issuer
    browser = Browser(idp)
    refused = browser.national_login(AN)
    assert refused.status_code == 403 and "(iss)" in refused.text and not browser.signed_in()


def test_the_operator_sets_the_level_on_the_procedure_in_the_admin(build):
    from procedures.admin import ProcedureAdmin

    assert any("national_login_loa" in options["fields"] for _title, options in ProcedureAdmin.fieldsets)
