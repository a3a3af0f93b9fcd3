import pytest
from django.core import mail
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import tokens
from accounts.models import User

from .conftest import citizen_post, link_in, page_main
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

DEAD = "Liên kết không còn hiệu lực"


def confirm_path(user, token=None):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/tai-khoan/xac-nhan/{uidb64}/{token or tokens.account_confirmation_token.make_token(user)}/"


def test_the_link_from_the_email_activates_the_account_once(client, register):
    register(citizen_post())
    path = link_in(mail.outbox[0].body, "/tai-khoan/xac-nhan/")
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == "/tai-khoan/dang-nhap/"
    assert "Tài khoản của bạn đã được kích hoạt" in response.content.decode()
    user = User.objects.get()
    assert user.is_active and user.email_confirmed_at is not None
    again = client.get(path)
    assert again.status_code == 400 and DEAD in again.content.decode()
    assert User.objects.get().email_confirmed_at == user.email_confirmed_at


def test_tampered_token_is_refused(client):
    user = UserFactory.unconfirmed()
    token = tokens.account_confirmation_token.make_token(user)
    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
    response = client.get(confirm_path(user, tampered))
    assert response.status_code == 400 and DEAD in response.content.decode()
    assert not User.objects.get().is_active


@pytest.mark.parametrize("uidb64, token", [("AAAA", "abc-def"), ("!!", "x"), ("MTIzNDU2Nzg5", "zz-zz"), ("MQ", "nodash")])
def test_garbage_links_give_the_same_page_not_an_error(client, uidb64, token):
    response = client.get(f"/tai-khoan/xac-nhan/{uidb64}/{token}/")
    assert response.status_code == 400 and DEAD in response.content.decode()


def test_a_token_for_another_user_is_refused(client):
    alice, bob = UserFactory.unconfirmed(), UserFactory.unconfirmed()
    alice_token = tokens.account_confirmation_token.make_token(alice)
    assert client.get(confirm_path(bob, alice_token)).status_code == 400
    assert not User.objects.get(pk=bob.pk).is_active and not User.objects.get(pk=alice.pk).is_active


def test_a_password_reset_token_does_not_confirm(client):
    from django.contrib.auth.tokens import default_token_generator

    user = UserFactory.unconfirmed()
    assert client.get(confirm_path(user, default_token_generator.make_token(user))).status_code == 400


def test_link_expires_one_second_after_the_limit(client, settings, monkeypatch):
    settings.ACCOUNT_CONFIRMATION_TIMEOUT = 3600
    generator = tokens.account_confirmation_token
    start = timezone.now().replace(tzinfo=None)
    user = UserFactory.unconfirmed()
    monkeypatch.setattr(generator, "_now", lambda: start)
    token = generator.make_token(user)
    monkeypatch.setattr(generator, "_now", lambda: start + timezone.timedelta(seconds=3601))
    response = client.get(confirm_path(user, token))
    assert response.status_code == 400 and not User.objects.get().is_active
    monkeypatch.setattr(generator, "_now", lambda: start + timezone.timedelta(seconds=3600))
    assert client.get(confirm_path(user, token)).status_code == 302
    assert User.objects.get().is_active


def test_default_lifetime_is_72_hours(settings):
    assert settings.ACCOUNT_CONFIRMATION_TIMEOUT == 72 * 3600


def test_link_dies_when_the_email_changes(client):
    user = UserFactory.unconfirmed(email="truoc@example.vn")
    token = tokens.account_confirmation_token.make_token(user)
    User.objects.filter(pk=user.pk).update(email="sau@example.vn")  # e.g. corrected by staff in the admin
    assert client.get(confirm_path(user, token)).status_code == 400
    assert not User.objects.get().is_active


def test_an_account_switched_off_by_staff_is_not_revived_by_its_old_link(client):
    user = UserFactory.unconfirmed()
    token = tokens.account_confirmation_token.make_token(user)
    assert client.get(confirm_path(user, token)).status_code == 302
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(confirm_path(user, token)).status_code == 400
    assert not User.objects.get().is_active


def test_confirmation_is_only_by_get(client):
    user = UserFactory.unconfirmed()
    assert client.post(confirm_path(user)).status_code == 405


# Resend ("Gửi lại e-mail xác nhận")


@pytest.fixture
def resend(client, django_capture_on_commit_callbacks):
    def post(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/tai-khoan/gui-lai-xac-nhan/", {"email": email}, follow=True, **extra)

    return post


def test_resend_sends_a_new_link_that_works(client, resend):
    UserFactory.unconfirmed(email="cho@example.vn")
    response = resend("CHO@example.vn")
    assert "thư xác nhận mới sẽ đến trong ít phút" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["cho@example.vn"]
    client.get(link_in(message.body, "/tai-khoan/xac-nhan/"))
    assert User.objects.get().is_active


def test_resend_answers_the_same_whether_or_not_the_address_exists(resend):
    UserFactory.unconfirmed(email="cho@example.vn")
    UserFactory(email="xong@example.vn")
    answers = []
    for address in ("cho@example.vn", "khong-co@example.vn", "xong@example.vn"):
        response = resend(address)
        answers.append((response.status_code, response.redirect_chain, page_main(response)))
    assert answers[0] == answers[1] == answers[2]
    assert [m.to for m in mail.outbox] == [["cho@example.vn"]]


def test_resend_is_limited_per_address(resend, settings):
    settings.ACCOUNT_RESEND_PER_ADDRESS = 3
    UserFactory.unconfirmed(email="cho@example.vn")
    answers = {page_main(resend("cho@example.vn")) for _ in range(5)}
    assert len(mail.outbox) == 3
    assert len(answers) == 1  # the fourth and fifth requests look just like the first


def test_resend_is_limited_per_client(resend, settings):
    settings.ACCOUNT_RESEND_PER_CLIENT = 2
    for n in range(3):
        UserFactory.unconfirmed(email=f"cho{n}@example.vn")
    for n in range(3):
        resend(f"cho{n}@example.vn")
    assert len(mail.outbox) == 2
    resend("cho2@example.vn", REMOTE_ADDR="10.0.0.9")  # another client is not held back
    assert len(mail.outbox) == 3


def test_resend_with_a_malformed_address_shows_the_error_and_keeps_it(client):
    text = client.post("/tai-khoan/gui-lai-xac-nhan/", {"email": "khong-phai-email"}).content.decode()
    assert "Địa chỉ e-mail không hợp lệ" in text and 'value="khong-phai-email"' in text


def test_dead_link_page_offers_the_resend_form(client):
    text = client.get("/tai-khoan/xac-nhan/MQ/abc-def/").content.decode()
    assert 'action="/tai-khoan/gui-lai-xac-nhan/"' in text
