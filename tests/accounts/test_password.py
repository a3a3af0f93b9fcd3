import pytest
from django.core import mail

from accounts.models import User
from notifications.models import Email

from .conftest import link_in, page_main
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/tai-khoan/quen-mat-khau/", {"email": email}, follow=True)

    return post


def test_reset_page_is_in_vietnamese(client):
    text = client.get("/tai-khoan/quen-mat-khau/").content.decode()
    assert "Quên mật khẩu" in text and "E-mail đã đăng ký" in text


def test_reset_email_goes_through_the_outbox_and_the_link_sets_a_new_password(client, ask_reset):
    UserFactory(email="an@example.vn")
    ask_reset("AN@example.vn")
    [message] = mail.outbox
    assert message.subject == "Đặt lại mật khẩu tài khoản Cổng dịch vụ công trực tuyến"
    assert Email.objects.get().kind == "account_password_reset"
    path = link_in(message.body, "/tai-khoan/dat-lai-mat-khau/")
    assert message.alternatives and path in message.alternatives[0][0]
    form = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    short = client.post(form.redirect_chain[-1][0], {"new_password1": "abc", "new_password2": "abc"})
    assert "Mật khẩu quá ngắn" in short.content.decode()
    new = "mùa hoa cà phê nở trắng Kon Tum"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert User.objects.get().check_password(new)
    assert "không hợp lệ" in client.get(path, follow=True).content.decode()  # the link worked once


def test_reset_answers_the_same_for_known_unknown_and_unconfirmed_addresses(ask_reset):
    UserFactory(email="an@example.vn")
    UserFactory.unconfirmed(email="cho@example.vn")
    answers = [ask_reset(address) for address in ("an@example.vn", "khong-co@example.vn", "cho@example.vn")]
    assert len({(r.status_code, tuple(r.redirect_chain), page_main(r)) for r in answers}) == 1
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    wrong = client.post("/tai-khoan/doi-mat-khau/", {"old_password": "sai", "new_password1": "một câu mới dài dài",
                                                        "new_password2": "một câu mới dài dài"})
    assert wrong.status_code == 200 and not User.objects.get().check_password("một câu mới dài dài")
    done = client.post("/tai-khoan/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": "một câu mới dài dài",
                                                       "new_password2": "một câu mới dài dài"}, follow=True)
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert User.objects.get().check_password("một câu mới dài dài")
    assert client.get("/tai-khoan/").status_code == 200  # still logged in


def test_password_change_requires_login(client):
    assert client.get("/tai-khoan/doi-mat-khau/").url.startswith("/tai-khoan/dang-nhap/")
