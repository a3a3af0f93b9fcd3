"""Two-factor (TOTP) enrolment for staff: an authenticator app scans a QR code, then proves it with a code."""

import base64
import io

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.utils.translation import gettext_lazy as _

DEVICE_NAME = _("Ứng dụng xác thực")


def otp_device_pending(*, user) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device, creating one (a new secret) if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def otp_has_device(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm the device if `token` is its current code, and mark this session as verified."""
    with transaction.atomic():
        if not device.verify_token(token.strip().replace(" ", "")):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


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
