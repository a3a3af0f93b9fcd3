import re

import pytest
from django.core import mail

from accounts.constants import AccountType
from accounts.models import User
from accounts.selectors import commune_choices
from notifications.models import Email

from .conftest import KON_TUM_NOW, citizen_post, link_in, organisation_post
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Xác nhận đăng ký tài khoản sử dụng Cổng dịch vụ công trực tuyến"


def test_register_page_has_both_tabs_and_a_captcha_image(client):
    response = client.get("/tai-khoan/dang-ky/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Công dân" in text and "Tổ chức" in text
    assert 'name="identity_number"' in text and 'name="date_of_birth"' in text
    assert "/captcha/image/" in text
    organisation = client.get("/tai-khoan/dang-ky/?loai=to-chuc").content.decode()
    assert "Mã số thuế" in organisation and 'name="representative"' in organisation
    assert 'name="date_of_birth"' not in organisation


def test_captcha_image_is_served(client):
    text = client.get("/tai-khoan/dang-ky/").content.decode()
    path = text.split('src="/captcha/image/')[1].split('"')[0]
    image = client.get("/captcha/image/" + path)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_citizen_registers_inactive_and_gets_the_confirmation_email(register):
    response = register(citizen_post())
    assert response.status_code == 302 and response.url == "/tai-khoan/dang-ky/da-gui/"
    user = User.objects.get()
    assert user.email == "hoa.nguyen@example.vn"
    assert not user.is_active and user.email_confirmed_at is None
    assert user.account_type == AccountType.INDIVIDUAL
    assert user.identity_number == "062301123456" and user.phone == "0912345678"
    assert user.gender == "female" and str(user.date_of_birth) == "2001-03-09"
    assert user.province_code == KON_TUM_NOW and user.check_password(citizen_post()["password1"])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == SUBJECT and message.to == ["hoa.nguyen@example.vn"]
    assert "Nguyễn Thị Hoa" in message.body
    link = link_in(message.body, "/tai-khoan/xac-nhan/")
    assert message.body.count("http://127.0.0.1:8000" + link) == 1
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html
    assert Email.objects.get().status == "sent"


def test_organisation_registers_with_its_tax_code(register):
    register(organisation_post(identity_number="0300588569-012"))
    user = User.objects.get()
    assert user.account_type == AccountType.ORGANISATION
    assert user.identity_number == "0300588569-012" and user.representative == "Phạm Văn Cường"
    assert user.date_of_birth is None and len(mail.outbox) == 1


def test_done_page_links_to_the_demo_mailbox_only_in_demo_mode(client, settings):
    assert "/tai-khoan/hop-thu/" in client.get("/tai-khoan/dang-ky/da-gui/").content.decode()
    # Without DEMO_MODE the settings list no demo context processor: the page knows nothing of the demo.
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": [
        name for name in engine["OPTIONS"]["context_processors"] if not name.startswith("demo.")]}}
        for engine in settings.TEMPLATES]
    settings.DEBUG = True
    assert "/tai-khoan/hop-thu/" not in client.get("/tai-khoan/dang-ky/da-gui/").content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("identity_number", "06230112345", "12 chữ số"),
        ("identity_number", "003301123456", "mã tỉnh"),
        ("identity_number", "062201123456", "không khớp với ngày sinh và giới tính"),
        ("identity_number", "062399123456", "không khớp với năm sinh"),
        ("phone", "0212345678", "Số điện thoại di động không hợp lệ"),
        ("phone", "12345", "Số điện thoại di động không hợp lệ"),
        ("email", "hoa@", "Địa chỉ e-mail không hợp lệ"),
        ("date_of_birth", "2999-01-01", "Ngày sinh phải từ năm 1900"),
        ("full_name", "", "Vui lòng nhập thông tin này."),
        ("password2", "Khác hoàn toàn 2025", "Hai mật khẩu không giống nhau."),
        ("captcha_1", "sai", "Mã xác thực không đúng"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_what_was_typed_is_kept(client, field, value, message):
    data = citizen_post(**{field: value})
    response = client.post("/tai-khoan/dang-ky/", data)
    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert User.objects.count() == 0 and len(mail.outbox) == 0
    # The error sits in the field's own block, and the other fields keep their values.
    name = "captcha" if field.startswith("captcha") else field
    error = re.search(rf'id="error_1_id_{name}"[^>]*>\s*<strong>(.*?)</strong>', text, re.S)
    assert error and message in error.group(1)
    assert 'value="Nguyễn Thị Hoa"' in text or field == "full_name"
    assert 'value="45 Lê Lợi"' in text
    assert citizen_post()["password1"] not in text  # passwords are never sent back


def test_bad_tax_code_is_refused(client):
    text = client.post("/tai-khoan/dang-ky/", organisation_post(identity_number="0300588568")).content.decode()
    assert "sai chữ số kiểm tra" in text and User.objects.count() == 0
    assert 'value="0300588568"' in text and 'value="Phạm Văn Cường"' in text


@pytest.mark.parametrize(
    "password, message",
    [
        ("abc12", "Mật khẩu quá ngắn"),
        ("password123", "Mật khẩu này quá phổ biến"),
        ("48102937561", "Mật khẩu này hoàn toàn là số"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client, password, message):
    text = client.post("/tai-khoan/dang-ky/", citizen_post(password1=password, password2=password)).content.decode()
    assert message in text and User.objects.count() == 0


def test_a_long_passphrase_is_accepted(register):
    phrase = "tôi đi nộp hồ sơ ở trung tâm phục vụ hành chính công tỉnh Kon Tum vào sáng thứ hai " * 2
    register(citizen_post(password1=phrase, password2=phrase))
    assert User.objects.get().check_password(phrase)


def test_commune_must_belong_to_the_province(client):
    hanoi_ward = commune_choices(province_code=1)[0][0]
    text = client.post("/tai-khoan/dang-ky/", citizen_post(commune_code=str(hanoi_ward))).content.decode()
    assert "Lựa chọn không hợp lệ" in text and User.objects.count() == 0


def test_without_javascript_choosing_a_province_lists_its_communes(client):
    data = citizen_post(province_code="1", commune_code="", refresh="1")
    response = client.post("/tai-khoan/dang-ky/", data)
    text = response.content.decode()
    assert response.status_code == 200 and User.objects.count() == 0
    assert "Phường Hoàn Kiếm" in text  # a Hà Nội ward
    assert "Vui lòng" not in text  # no errors yet: the user has not sent the form
    assert 'value="Nguyễn Thị Hoa"' in text and citizen_post()["password1"] not in text


def test_communes_json_for_a_province(client):
    body = client.get("/tai-khoan/xa-phuong/?tinh=1").json()
    assert [70, "Phường Hoàn Kiếm"] in body["communes"]
    assert client.get("/tai-khoan/xa-phuong/?tinh=999").json() == {"communes": []}
    assert client.get("/tai-khoan/xa-phuong/?tinh=abc").json() == {"communes": []}


def _answer(response):
    return response.status_code, response.get("Location")


def test_taken_email_gets_the_same_answer_and_the_owner_is_told(register):
    owner = UserFactory(email="hoa.nguyen@example.vn")
    fresh = register(citizen_post(email="someone.new@example.vn", identity_number="062301999999"))
    mail.outbox.clear()
    taken = register(citizen_post(email="HOA.NGUYEN@example.vn", identity_number="062301888888"))
    assert _answer(taken) == _answer(fresh)
    assert User.objects.filter(email__iexact="hoa.nguyen@example.vn").count() == 1
    assert not User.objects.filter(identity_number="062301888888").exists()
    [notice] = mail.outbox
    assert notice.to == [owner.email] and "Không có tài khoản mới nào được tạo" in notice.body


def test_taken_cccd_gets_the_same_answer_and_the_owner_is_told(register):
    owner = UserFactory(identity_number="062301123456")
    response = register(citizen_post(email="other@example.vn"))
    assert _answer(response) == (302, "/tai-khoan/dang-ky/da-gui/")
    assert not User.objects.filter(email="other@example.vn").exists()
    [notice] = mail.outbox
    assert notice.to == [owner.email]


def test_registering_again_before_confirming_sends_a_fresh_link(register):
    UserFactory.unconfirmed(email="hoa.nguyen@example.vn", identity_number="062301123456")
    register(citizen_post())
    [message] = mail.outbox
    assert message.subject == "Xác nhận đăng ký tài khoản sử dụng Cổng dịch vụ công trực tuyến"
    assert User.objects.count() == 1


def test_a_logged_in_user_is_sent_to_the_profile(client):
    client.force_login(UserFactory())
    assert client.get("/tai-khoan/dang-ky/").url == "/tai-khoan/"


def test_unknown_tab_falls_back_to_citizen(client):
    assert 'name="date_of_birth"' in client.get("/tai-khoan/dang-ky/?loai=xyz").content.decode()
