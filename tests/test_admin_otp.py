"""Staff reach the admin only with the second factor (TOTP)."""

import pytest
from django.conf import settings

from accounts.models import User
from tests.support.otp import current_code, login_verified, totp_device

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}"


@pytest.fixture
def clerk(db):
    return User.objects.create_user("canbo@kontum.example", "mat-khau-rat-dai-2026", is_staff=True, is_active=True,
                                    is_superuser=True)


def test_password_alone_does_not_open_the_admin(client, clerk):
    client.force_login(clerk)  # logged in on the portal with the password only
    response = client.get(ADMIN)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_admin_login_without_a_code_is_refused(client, clerk):
    totp_device(clerk)
    response = client.post(f"{ADMIN}login/", {"username": clerk.email, "password": "mat-khau-rat-dai-2026",
                                              "next": ADMIN})
    assert response.status_code == 200
    assert "Nhập mã xác thực 6 số" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_admin_login_with_a_wrong_code_is_refused(client, clerk):
    device = totp_device(clerk)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(f"{ADMIN}login/", {"username": clerk.email, "password": "mat-khau-rat-dai-2026",
                                              "otp_device": device.persistent_id, "otp_token": wrong})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_single_device_needs_no_choosing(client, clerk):
    device = totp_device(clerk)
    response = client.post(f"{ADMIN}login/", {"username": clerk.email, "password": "mat-khau-rat-dai-2026",
                                              "otp_token": current_code(device), "next": ADMIN})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_admin_login_with_password_and_code_opens_the_admin(client, clerk):
    device = totp_device(clerk)
    response = client.post(f"{ADMIN}login/", {"username": clerk.email, "password": "mat-khau-rat-dai-2026",
                                              "otp_device": device.persistent_id, "otp_token": current_code(device),
                                              "next": ADMIN})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_staff_pair_an_authenticator_app_then_reach_the_admin(client, clerk):
    client.force_login(clerk)
    page = client.get("/tai-khoan/xac-thuc-hai-lop/")
    text = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in text and "Khóa bí mật" in text
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    bad = client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert "Mã không đúng" in bad.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # each wrong code makes the next try wait longer
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # the wait is over
    response = client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": current_code(device)})
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_citizens_have_no_two_factor_page(client):
    citizen = User.objects.create_user("congdan@example.vn", "mat-khau-rat-dai-2026", is_active=True)
    client.force_login(citizen)
    assert client.get("/tai-khoan/xac-thuc-hai-lop/").status_code == 404


def test_verified_helper_session_reaches_the_admin(client, clerk):
    login_verified(client, clerk)
    assert client.get(ADMIN).status_code == 200
