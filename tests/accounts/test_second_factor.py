"""Every way around the second factor, tried and refused (accounts.otp).

The attacker in these tests knows a staff member's password but not the phone: they log in on the portal
(password only) and try to pair, replace or remove an authenticator, to reuse or guess codes, or to reach
the device admin. The clerk who has the phone, and the operator who resets a lost one, still get through.
"""

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import OPERATOR, RECEIVE
from audit.models import AccessRecord
from tests.support.otp import current_code, login_verified, totp_device

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}"
PAGE = "/tai-khoan/xac-thuc-hai-lop/"
PASSWORD = "mat-khau-rat-dai-2026"


@pytest.fixture
def clerk(db):
    user = User.objects.create_user("canbo@kontum.gov.vn", PASSWORD, is_staff=True, is_active=True,
                                    full_name="Cán bộ Một")
    user.groups.add(Group.objects.get(name=RECEIVE.group))
    return user


def _wait_over(device):
    """The throttle's wait after a wrong code has passed (as it would a few seconds later)."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _verified(client) -> bool:
    return client.get(ADMIN).status_code == 200


def test_password_only_session_cannot_enrol_a_new_device_when_one_exists(client, clerk):
    old = totp_device(clerk)
    client.force_login(clerk)  # the password alone
    page = client.get(PAGE)
    text = page.content.decode()
    assert page.status_code == 200 and "Khóa bí mật" not in text and "data:image/svg" not in text
    assert not TOTPDevice.objects.filter(user=clerk, confirmed=False).exists()  # no secret was even made
    # An unconfirmed device left from earlier, whose secret the attacker has: its code is refused.
    pending = TOTPDevice.objects.create(user=clerk, name="kẻ gian", confirmed=False)
    response = client.post(PAGE, {"step": "confirm", "token": current_code(pending)})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert not pending.confirmed and TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session and not _verified(client)
    # The old form (no step) is the same request and is refused the same way.
    assert client.post(PAGE, {"token": current_code(pending)}).status_code == 403
    assert not _verified(client)


def test_password_only_session_cannot_remove_the_device(client, clerk):
    device = totp_device(clerk)
    client.force_login(clerk)
    assert client.post(PAGE, {"step": "remove"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_wrong_current_code_does_not_unlock_and_is_throttled(client, clerk):
    device = totp_device(clerk)
    client.force_login(clerk)
    page = client.post(PAGE, {"step": "unlock", "current_token": _other(current_code(device))})
    assert "không đúng" in page.content.decode() and "Khóa bí mật" not in page.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Right away, even the right code is refused: wrong codes make the next try wait.
    client.post(PAGE, {"step": "unlock", "current_token": current_code(device)})
    assert not _verified(client) and "Khóa bí mật" not in client.get(PAGE).content.decode()


def test_a_code_already_used_cannot_be_used_again(client, clerk):
    device = totp_device(clerk)
    code = current_code(device)
    login = client.post(f"{ADMIN}login/", {"username": clerk.email, "password": PASSWORD, "otp_token": code})
    assert login.status_code == 302 and _verified(client)
    other = client.__class__()
    other.force_login(clerk)
    other.post(PAGE, {"step": "unlock", "current_token": code})  # the same code, replayed from elsewhere
    assert "Khóa bí mật" not in other.get(PAGE).content.decode()
    assert other.get(ADMIN).status_code == 302


def test_a_verified_session_alone_does_not_change_devices(client, clerk):
    login_verified(client, clerk)  # verified hours ago, say: changing still needs a code now
    assert "Khóa bí mật" not in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"step": "remove"}).status_code == 403


def test_the_current_code_unlocks_replacing_the_device(client, clerk):
    old = totp_device(clerk)
    client.force_login(clerk)
    client.post(PAGE, {"step": "unlock", "current_token": current_code(old)})
    page = client.get(PAGE).content.decode()
    assert "Khóa bí mật" in page and "Ghép ứng dụng mới" in page
    new = TOTPDevice.objects.get(user=clerk, confirmed=False)
    response = client.post(PAGE, {"step": "confirm", "token": current_code(new)})
    assert response.status_code == 302 and _verified(client)
    assert list(TOTPDevice.objects.filter(user=clerk).values_list("pk", "confirmed")) == [(new.pk, True)]


def test_the_current_code_unlocks_removing_the_device(client, clerk):
    device = totp_device(clerk)
    client.force_login(clerk)
    client.post(PAGE, {"step": "unlock", "current_token": current_code(device)})
    assert client.post(PAGE, {"step": "remove"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not _verified(client)  # the session verified by the removed device is not any more


def test_first_pairing_needs_a_right_code_then_verifies(client, clerk):
    client.force_login(clerk)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    assert client.post(PAGE, {"step": "confirm", "token": _other(current_code(device))}).status_code == 200
    assert not _verified(client)
    _wait_over(device)
    assert client.post(PAGE, {"step": "confirm", "token": current_code(device)}).status_code == 302
    assert _verified(client)


def test_the_device_admin_is_not_reachable(client):
    root = User.objects.create_superuser("root@kontum.gov.vn", PASSWORD)
    login_verified(client, root)
    assert client.get(f"{ADMIN}otp_totp/totpdevice/").status_code == 404
    assert client.get(f"{ADMIN}otp_totp/totpdevice/add/").status_code == 404


def test_the_operators_reset_is_recorded_and_lets_the_clerk_pair_again(client, clerk):
    totp_device(clerk)
    operator = User.objects.create_user("vanhanh@kontum.gov.vn", PASSWORD, is_staff=True, is_active=True)
    operator.groups.add(Group.objects.get(name=OPERATOR.group))
    login_verified(client, operator)
    response = client.post(f"{ADMIN}accounts/user/", {"action": "second_factor_reset", "_selected_action": [clerk.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    entry = LogEntry.objects.get(object_id=str(clerk.pk))
    assert entry.user_id == operator.pk and "Đặt lại xác thực hai lớp" in entry.get_change_message()
    assert AccessRecord.objects.filter(actor_email=operator.email, kind="otp_reset", ref=str(clerk.pk)).exists()
    # The clerk (the phone was lost) pairs a new one with the password.
    clerk_client = client.__class__()
    clerk_client.force_login(clerk)
    assert "Khóa bí mật" in clerk_client.get(PAGE).content.decode()


def test_a_clerk_cannot_reset_anyones_second_factor(client, clerk):
    victim = User.objects.create_user("khac@kontum.gov.vn", PASSWORD, is_staff=True, is_active=True)
    device = totp_device(victim)
    login_verified(client, clerk)
    response = client.post(f"{ADMIN}accounts/user/", {"action": "second_factor_reset", "_selected_action": [victim.pk]})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_staff_profile_shows_role_devices_and_the_way_to_the_admin(client, clerk):
    totp_device(clerk)
    client.force_login(clerk)
    text = client.get("/tai-khoan/").content.decode()
    assert RECEIVE.label in text and "Điện thoại thử nghiệm" in text and f'href="{ADMIN}"' in text


def test_the_operator_cannot_take_over_a_superuser(client):
    root = User.objects.create_superuser("root@kontum.gov.vn", PASSWORD)
    device = totp_device(root)
    operator = User.objects.create_user("vanhanh@kontum.gov.vn", PASSWORD, is_staff=True, is_active=True)
    operator.groups.add(Group.objects.get(name=OPERATOR.group))
    login_verified(client, operator)
    client.post(f"{ADMIN}accounts/user/", {"action": "second_factor_reset", "_selected_action": [root.pk]})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert client.get(f"{ADMIN}accounts/user/{root.pk}/password/").status_code == 403
    page = client.get(f"{ADMIN}accounts/user/{operator.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page  # no rights beyond roles
