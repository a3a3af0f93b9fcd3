"""The link the appointment e-mails carry (notifications.links): made only when the e-mail is sent."""

from django.conf import settings
from django.urls import reverse

from notifications.links import link_builder

from .models import Booking
from .tokens import booking_token


@link_builder
def booking_manage_link(*, redacted: bool, booking_id: int) -> dict:
    """The signed address to cancel or move the appointment (the stored copy of the e-mail holds none)."""
    from notifications.services import REDACTED_LINK

    if redacted:
        return {"manage_url": REDACTED_LINK}
    booking = Booking.objects.get(pk=booking_id)
    return {"manage_url": settings.SITE_URL.rstrip("/") + reverse("appointments:manage", args=[booking_token(booking)])}
