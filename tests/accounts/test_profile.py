import re

import pytest
from django.core import mail

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import tokens
from accounts.models import User
from accounts.selectors import commune_choices
from accounts.services import account_request_email_change

from .conftest import link_in
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def profile_post(user, **overrides):
    data = {
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "province_code": str(user.province_code),
        "commune_code": str(user.commune_code),
        "street_address": user.street_address,
    }
    data.update(overrides)
    return data


@pytest.fixture
def save(client, django_capture_on_commit_callbacks):
    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/tai-khoan/", data, follow=True)

    return post


def test_profile_requires_login(client):
    response = client.get("/tai-khoan/")
    assert response.status_code == 302 and response.url.startswith("/tai-khoan/dang-nhap/?next=/tai-khoan/")


def test_profile_shows_the_details(client):
    user = UserFactory(full_name="Nguyễn Văn An", identity_number="062090000001")
    client.force_login(user)
    text = client.get("/tai-khoan/").content.decode()
    assert "Trang cá nhân" in text and "Nguyễn Văn An" in text and "062090000001" in text
    assert "17/05/1990" in text and "Quảng Ngãi" in text and "12 Trần Hưng Đạo" in text
    assert "Đổi mật khẩu" in text


def test_a_clerks_profile_names_their_roles_and_agency_not_citizen(client):
    from tests.factories.dossiers import Builder

    build = Builder()
    clerk = build.clerk(build.agency(name="UBND xã Đăk Hà"))
    client.force_login(clerk)
    page = client.get("/tai-khoan/").content.decode()
    kind = re.search(r'<dd id="loai-tai-khoan">(.*?)</dd>', page, re.S).group(1)
    assert "Công dân" not in kind and kind.startswith("Cán bộ: ") and "Cán bộ tiếp nhận (một cửa)" in kind
    assert "<dt>Cơ quan</dt><dd>UBND xã Đăk Hà</dd>" in page
    citizen = UserFactory()
    client.force_login(citizen)
    kind = re.search(r'<dd id="loai-tai-khoan">(.*?)</dd>', client.get("/tai-khoan/").content.decode(), re.S)
    assert kind.group(1) == "Công dân"


def test_profile_links_to_dossiers_and_transactions_when_those_pages_exist(client):
    from django.urls import NoReverseMatch, reverse

    client.force_login(UserFactory())
    text = client.get("/tai-khoan/").content.decode()
    for name, label in (("dossiers:mine", "Hồ sơ của tôi"), ("payments:transactions", "Danh sách giao dịch")):
        try:
            url = reverse(name)
        except NoReverseMatch:
            assert label not in text
        else:
            assert f'href="{url}"' in text and label in text


def test_editing_the_details(client, save):
    user = UserFactory()
    client.force_login(user)
    ward = commune_choices(province_code=1)[0][0]
    response = save(profile_post(user, full_name="Nguyễn Văn Ân", phone="0387 654 321", province_code="1",
                                 commune_code=str(ward), street_address="1 Tràng Tiền"))
    assert "Đã lưu thông tin cá nhân." in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.province_code, user.commune_code, user.street_address) == (
        "Nguyễn Văn Ân", "0387654321", 1, ward, "1 Tràng Tiền")
    assert len(mail.outbox) == 0


def test_bad_input_keeps_what_was_typed(client):
    user = UserFactory()
    client.force_login(user)
    text = client.post("/tai-khoan/", profile_post(user, phone="12345", street_address="99 Bà Triệu")).content.decode()
    assert "Số điện thoại di động không hợp lệ" in text and 'value="99 Bà Triệu"' in text and 'value="12345"' in text
    assert User.objects.get().street_address == "12 Trần Hưng Đạo"


def test_organisation_edits_its_representative(client, save):
    user = UserFactory.organisation()
    client.force_login(user)
    save(profile_post(user, representative="Lê Văn Dũng"))
    assert User.objects.get().representative == "Lê Văn Dũng"


def test_changing_the_email_waits_for_the_new_address_to_confirm(client, save):
    user = UserFactory(email="cu@example.vn")
    client.force_login(user)
    response = save(profile_post(user, email="Moi@Example.vn"))
    assert "Chúng tôi đã gửi liên kết xác nhận tới moi@example.vn" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "cu@example.vn" and user.pending_email == "moi@example.vn"
    [message] = mail.outbox
    assert message.to == ["moi@example.vn"]
    path = link_in(message.body, "/tai-khoan/xac-nhan-email/")
    confirmed = client.get(path, follow=True)
    assert "E-mail đăng nhập của bạn từ nay là moi@example.vn" in confirmed.content.decode()
    user.refresh_from_db()
    assert user.email == "moi@example.vn" and user.pending_email == ""
    assert client.get(path).status_code == 400  # once only


def test_an_email_change_link_dies_when_another_change_is_asked(client, save):
    user = UserFactory(email="cu@example.vn")
    client.force_login(user)
    save(profile_post(user, email="moi1@example.vn"))
    first = link_in(mail.outbox[0].body, "/tai-khoan/xac-nhan-email/")
    save(profile_post(user, email="moi2@example.vn"))
    assert client.get(first).status_code == 400
    assert User.objects.get().email == "cu@example.vn"


def test_an_email_change_link_is_no_registration_link(client, save):
    user = UserFactory(email="cu@example.vn")
    client.force_login(user)
    save(profile_post(user, email="moi@example.vn"))
    path = link_in(mail.outbox[0].body, "/tai-khoan/xac-nhan-email/")
    assert client.get(path.replace("xac-nhan-email", "xac-nhan")).status_code == 400


def test_changing_to_a_taken_address_answers_the_same_and_sends_no_link(client, save):
    UserFactory(email="da-co@example.vn")
    user = UserFactory(email="cu@example.vn")
    client.force_login(user)
    free = save(profile_post(user, email="con-trong@example.vn")).content.decode()
    mail.outbox.clear()
    taken = save(profile_post(user, email="da-co@example.vn")).content.decode()
    # The page, its message and the pending address it shows are the same for a taken and a free address.
    assert "Chúng tôi đã gửi liên kết xác nhận tới da-co@example.vn" in taken
    def same(page, address):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.replace(address, "X"))

    assert same(free, "con-trong@example.vn") == same(taken, "da-co@example.vn")
    assert User.objects.get(pk=user.pk).pending_email == "da-co@example.vn"
    # The owner of the address is told; nobody gets a link that would move it to another account.
    [notice] = mail.outbox
    assert notice.to == ["da-co@example.vn"] and "/tai-khoan/xac-nhan-email/" not in notice.body
    assert User.objects.get(email="da-co@example.vn").email == "da-co@example.vn"


def test_an_address_taken_after_the_link_was_sent_is_not_stolen(client, save):
    user = UserFactory(email="cu@example.vn")
    client.force_login(user)
    save(profile_post(user, email="moi@example.vn"))
    path = link_in(mail.outbox[0].body, "/tai-khoan/xac-nhan-email/")
    UserFactory(email="MOI@example.vn")
    assert client.get(path).status_code == 400
    assert User.objects.get(pk=user.pk).email == "cu@example.vn"


def test_registration_link_dies_after_an_email_change(client):
    user = UserFactory.unconfirmed(email="cu@example.vn")
    registration_token = tokens.account_confirmation_token.make_token(user)
    account_request_email_change(user=user, new_email="moi@example.vn")
    change_token = tokens.email_change_token.make_token(User.objects.get())
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    client.get(f"/tai-khoan/xac-nhan-email/{uid}/{change_token}/")
    assert User.objects.get().email == "moi@example.vn"
    assert client.get(f"/tai-khoan/xac-nhan/{uid}/{registration_token}/").status_code == 400
    assert not User.objects.get().is_active


def test_without_javascript_choosing_a_province_lists_its_communes(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/tai-khoan/", profile_post(user, province_code="1", commune_code="", refresh="1",
                                                       street_address="đang gõ dở"))
    text = response.content.decode()
    assert response.status_code == 200 and "Phường Hoàn Kiếm" in text and 'value="đang gõ dở"' in text
    assert "Vui lòng" not in text
    assert User.objects.get().province_code == 51  # nothing saved yet
