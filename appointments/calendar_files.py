"""The .ics attached to the appointment e-mails (RFC 5545 with iTIP methods, RFC 5546), built with icalendar.

One UID per booking for its whole life; SEQUENCE is the booking's, raised at each change, so a calendar replaces
the event it holds (REQUEST) or removes it (CANCEL). Times are in Asia/Ho_Chi_Minh with its VTIMEZONE.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event, vCalAddress, vText

from notifications.attachments import attachment_builder

from .models import Booking

METHODS = ("REQUEST", "CANCEL")


def booking_uid(booking: Booking) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"lich-hen-{booking.uuid}@{domain}"


def booking_calendar(*, booking: Booking, sequence: int, method: str, starts_at: datetime, ends_at: datetime) -> bytes:
    """The calendar object of one appointment as of one change."""
    if method not in METHODS:
        raise ValueError(method)
    tz = ZoneInfo(settings.TIME_ZONE)
    with override(booking.citizen.language or settings.LANGUAGE_CODE):
        summary = _("Lịch hẹn %(purpose)s tại %(agency)s") % {
            "purpose": booking.get_purpose_display().lower(), "agency": booking.agency.name}
        description = _("Quầy: %(counter)s. Mang theo giấy tờ tùy thân và hồ sơ giấy (nếu có).") % {
            "counter": booking.counter.name}
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PORTAL_NAME}//Lich hen//VI")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at.astimezone(tz))
    event.add("dtend", ends_at.astimezone(tz))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", ", ".join(p for p in (booking.counter.location, booking.agency.address) if p)
              or booking.agency.name)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    organizer.params["cn"] = vText(booking.agency.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.citizen.email}")
    attendee.params["cn"] = vText(booking.citizen.full_name or booking.citizen.email)
    attendee.params["partstat"] = vText("ACCEPTED")
    event.add("attendee", attendee)
    cal.add_component(event)
    # Only the rules around the appointment: the zone's whole history (+08:00 before 1975) helps no calendar.
    cal.add_missing_timezones(first_date=starts_at.date() - timedelta(days=366), last_date=ends_at.date() + timedelta(days=366))
    return cal.to_ical()


@attachment_builder
def booking_ics(*, booking_id: int, sequence: int, method: str, starts_at: str, ends_at: str) -> tuple[str, bytes, str]:
    """The e-mail's attachment, as of the change that queued it (the booking may have changed again since)."""
    booking = Booking.objects.select_related("agency", "counter", "citizen").get(pk=booking_id)
    content = booking_calendar(booking=booking, sequence=sequence, method=method,
                               starts_at=datetime.fromisoformat(starts_at), ends_at=datetime.fromisoformat(ends_at))
    return ("huy-lich-hen.ics" if method == "CANCEL" else "lich-hen.ics"), content, "text/calendar"
