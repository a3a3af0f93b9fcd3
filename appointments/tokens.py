"""The signed link in the appointment e-mails: cancel or move without signing in.

django.core.signing signs the booking's uuid with a salt of its own; the booking's secret is in the signed value
too and must still match, so a new secret (none is issued today, but an operator may reset one) kills old links.
"""

import hmac

from django.core import signing

from .models import Booking

SALT = "appointments.booking-link"


def booking_token(booking: Booking) -> str:
    return signing.dumps({"b": str(booking.uuid), "s": booking.secret}, salt=SALT, compress=True)


def booking_from_token(token: str) -> Booking | None:
    """The booking a token names, or None for a tampered, foreign or outdated token."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    booking = Booking.objects.select_related("agency", "counter", "procedure", "dossier", "citizen") \
        .filter(uuid=value.get("b")).first()
    if booking is None or not hmac.compare_digest(booking.secret, str(value.get("s", ""))):
        return None
    return booking
