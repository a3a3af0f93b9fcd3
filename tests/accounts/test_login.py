import pytest
from axes.models import AccessAttempt
from django.core import mail

from accounts.models import User

from .conftest import link_in
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"


def login(client, username, password=PASSWORD, meta=None, **fields):
    return client.post(LOGIN, {"username": username, "password": password, **fields}, **(meta or {}))


@pytest.mark.parametrize("typed", ["an@example.vn", "AN@Example.VN", "062090000001", "062 090 000 001"])
def test_citizen_logs_in_with_email_or_cccd(client, typed):
    UserFactory(email="an@example.vn", identity_number="062090000001")
    response = login(client, typed)
    assert response.status_code == 302 and response.url == "/tai-khoan/"
    assert client.get("/tai-khoan/").status_code == 200


@pytest.mark.parametrize("typed", ["0100109106-001", "0100109106001"])
def test_organisation_logs_in_with_its_tax_code(client, typed):
    UserFactory.organisation(identity_number="0100109106-001")
    assert login(client, typed).status_code == 302


def test_wrong_password_is_explained_and_the_identifier_kept(client):
    UserFactory(email="an@example.vn")
    response = login(client, "an@example.vn", "sai mat khau")
    text = response.content.decode()
    assert response.status_code == 200
    assert "E-mail, số CCCD/mã số thuế hoặc mật khẩu không đúng." in text
    assert 'value="an@example.vn"' in text and "sai mat khau" not in text


def test_unknown_account_gets_the_same_message_as_a_wrong_password(client):
    UserFactory(email="an@example.vn")
    wrong = login(client, "an@example.vn", "sai mat khau").content.decode()
    unknown = login(client, "ai-do@example.vn", "sai mat khau").content.decode()
    assert "mật khẩu không đúng" in unknown and "mật khẩu không đúng" in wrong


def test_unconfirmed_account_is_told_to_confirm_with_a_resend_link(client):
    UserFactory.unconfirmed(email="cho@example.vn")
    text = login(client, "cho@example.vn").content.decode()
    assert "Tài khoản chưa được kích hoạt" in text and "/tai-khoan/gui-lai-xac-nhan/" in text
    assert client.get("/tai-khoan/").status_code == 302  # not logged in


def test_unconfirmed_message_needs_the_right_password(client):
    UserFactory.unconfirmed(email="cho@example.vn")
    text = login(client, "cho@example.vn", "sai mat khau").content.decode()
    assert "Tài khoản chưa được kích hoạt" not in text


def test_remember_me_keeps_the_session_otherwise_it_ends_with_the_browser(client):
    UserFactory(email="an@example.vn")
    login(client, "an@example.vn")
    assert client.session.get_expire_at_browser_close()
    client.post("/tai-khoan/dang-xuat/")
    login(client, "an@example.vn", remember_me="on")
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() > 24 * 3600


def test_logout_is_post_only(client):
    client.force_login(UserFactory())
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    assert client.get("/tai-khoan/").status_code == 200
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302
    assert client.get("/tai-khoan/").status_code == 302


def test_next_is_followed_only_inside_the_site(client):
    UserFactory(email="an@example.vn")
    assert login(client, "an@example.vn", next="/thu-tuc/").url == "/thu-tuc/"
    client.post("/tai-khoan/dang-xuat/")
    assert login(client, "an@example.vn", next="https://evil.example/").url == "/tai-khoan/"


# Lockout (django-axes), keyed on the account and the client


def fail(client, username, times, ip="10.1.1.1"):
    return [client.post(LOGIN, {"username": username, "password": "sai"}, REMOTE_ADDR=ip) for _ in range(times)]


def test_lockout_after_the_failure_limit_with_a_clear_page(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="an@example.vn")
    responses = fail(client, "an@example.vn", 3)
    assert [r.status_code for r in responses] == [200, 200, 429]
    text = responses[-1].content.decode()
    assert "Đăng nhập tạm thời bị khóa" in text and "30 phút" in text
    assert "/tai-khoan/quen-mat-khau/" in text
    # Even the right password is refused from this client now.
    right = client.post(LOGIN, {"username": "an@example.vn", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert right.status_code == 429 and client.get("/tai-khoan/").status_code == 302


def test_the_same_account_typed_as_email_or_cccd_counts_once(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="an@example.vn", identity_number="062090000001")
    fail(client, "an@example.vn", 1)
    fail(client, "AN@example.vn", 1)
    assert fail(client, "062090000001", 1)[0].status_code == 429


def test_lockout_is_per_client_and_per_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="an@example.vn")
    UserFactory(email="binh@example.vn")
    fail(client, "an@example.vn", 2, ip="10.1.1.1")
    other_client = client.post(LOGIN, {"username": "an@example.vn", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert other_client.status_code == 302  # the citizen at home is not locked out by a stranger
    client.post("/tai-khoan/dang-xuat/")
    other_account = client.post(LOGIN, {"username": "binh@example.vn", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert other_account.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="an@example.vn")
    fail(client, "an@example.vn", 2)
    assert login(client, "an@example.vn", meta={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    assert [r.status_code for r in fail(client, "an@example.vn", 2)] == [200, 200]


def test_password_reset_lifts_the_lockout(client, settings, django_capture_on_commit_callbacks):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="an@example.vn")
    fail(client, "an@example.vn", 2)
    assert AccessAttempt.objects.filter(username="an@example.vn").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tai-khoan/quen-mat-khau/", {"email": "an@example.vn"})
    path = link_in(mail.outbox[0].body, "/tai-khoan/dat-lai-mat-khau/")
    form_page = client.get(path, follow=True)
    new = "một mật khẩu mới thật dài"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    assert not AccessAttempt.objects.filter(username="an@example.vn").exists()
    response = client.post(LOGIN, {"username": "an@example.vn", "password": new}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302
    assert User.objects.get().check_password(new)


def test_cool_off_comes_from_the_environment_defaults(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
