"""Two-factor (TOTP) for staff: pairing an authenticator app, replacing or removing it, the operator's reset.

The rules that keep the second factor a second factor:
- a session becomes verified only through a *confirmed* device and a fresh code (django-otp refuses a code
  already used and throttles wrong ones);
- the first device may be paired with the password alone (there is no other factor yet); once an account has
  a confirmed device, pairing another one, replacing or removing it needs a code from the current device,
  typed on this page in the last few minutes (`otp_change_unlock`) - a password-only session cannot do it;
- an operator's reset (`otp_reset`) removes the devices of an account, and is recorded.
"""

import base64
import io

from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Ứng dụng xác thực"
# How long a code from the current device lets the page pair, replace or remove devices.
CHANGE_WINDOW_SECONDS = 300
_CHANGE_KEY = "otp_change_until"


def _clean(token: str) -> str:
    return (token or "").strip().replace(" ", "")[:16]


def otp_devices(*, user) -> list[TOTPDevice]:
    """The account's confirmed devices, oldest first."""
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def otp_has_device(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_device_pending(*, user) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device, creating one (a new secret) if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def otp_change_allowed(*, request) -> bool:
    """May this session pair a device (or replace, remove one) now?

    Yes when the account has no confirmed device (first pairing, or after the operator's reset), or when a
    code of the current device was typed on this page less than CHANGE_WINDOW_SECONDS ago, in a session that
    is itself verified. A session logged in with the password alone never may.
    """
    user = request.user
    if not otp_has_device(user=user):
        return True
    until = request.session.get(_CHANGE_KEY)
    verified = callable(getattr(user, "is_verified", None)) and user.is_verified()
    return bool(verified and until and until > timezone.now().timestamp())


def otp_change_unlock(*, request, token: str) -> bool:
    """Check a code of one of the account's confirmed devices; if right, open the change window."""
    token = _clean(token)
    for device in otp_devices(user=request.user):
        # verify_token throttles wrong codes and refuses a code that was already used.
        if device.verify_token(token):
            otp_login(request, device)
            request.session[_CHANGE_KEY] = timezone.now().timestamp() + CHANGE_WINDOW_SECONDS
            return True
    return False


def otp_device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm the pending device if `token` is its current code, replace the old ones, verify the session.

    Refused (False) when the session may not change devices (see otp_change_allowed).
    """
    if not otp_change_allowed(request=request) or device.confirmed or device.user_id != request.user.pk:
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
        if locked is None or not locked.verify_token(_clean(token)):
            return False
        TOTPDevice.objects.filter(user=request.user).exclude(pk=locked.pk).delete()
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
    request.session.pop(_CHANGE_KEY, None)
    otp_login(request, locked)
    return True


def otp_devices_remove(*, request) -> bool:
    """Remove all of the account's devices (lost phone, leaving the role); needs the change window."""
    if not otp_change_allowed(request=request):
        return False
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(_CHANGE_KEY, None)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    return True


def otp_reset(*, user, actor) -> int:
    """The operator's reset: remove every device of `user`, so that it pairs again. Return how many.

    The caller records it (the admin's history and the access audit).
    """
    if actor is None or not (actor.is_superuser or actor.has_perm("accounts.change_user")):
        raise PermissionError("only the operator resets a second factor")
    if user.is_superuser and not actor.is_superuser:
        raise PermissionError("a superuser's second factor is reset by a superuser")
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


def otp_qr_data_uri(device: TOTPDevice) -> str:
    """Return the device's otpauth:// URL as an SVG QR code in a data: URI (allowed by the CSP)."""
    import qrcode
    import qrcode.image.svg

    buffer = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def otp_secret_base32(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
