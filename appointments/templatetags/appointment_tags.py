"""Appointments shown on other apps' pages (procedure, dossier, the dossier in the admin) without those apps
importing this one: the templates load these tags."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dossiers.constants import DossierStatus

from .. import selectors
from ..constants import BookingPurpose, BookingStatus
from ..models import Counter

register = template.Library()


@register.filter
def slot_value(moment) -> str:
    """A slot's start as the form sends it back: local time, ISO 8601 with its offset."""
    return timezone.localtime(moment).isoformat()


def book_url(agency, **query) -> str:
    return reverse("appointments:book", args=[agency.code]) + "?" + urlencode({k: v for k, v in query.items() if v})


@register.inclusion_tag("appointments/_procedure_links.html")
def procedure_appointment_links(procedure, agencies):
    """"Đặt lịch hẹn" for each agency of the procedure whose one-stop desk takes appointments."""
    with_counters = set(Counter.objects.filter(agency__in=agencies, is_active=True).values_list("agency_id", flat=True))
    return {"links": [(agency, book_url(agency, purpose=BookingPurpose.SUBMIT, procedure=procedure.code))
                      for agency in agencies if agency.pk in with_counters]}


@register.inclusion_tag("appointments/_dossier_bookings.html")
def dossier_appointments(dossier, staff=False):
    """The dossier's appointments and, for its owner, a button to book one (to collect a result once it is done)."""
    purpose = BookingPurpose.COLLECT if dossier.status == DossierStatus.DONE else BookingPurpose.SUBMIT
    takes = Counter.objects.filter(agency=dossier.agency_id, is_active=True).exists()
    return {
        "bookings": list(selectors.booking_list_for_dossier(dossier=dossier)),
        "book_url": book_url(dossier.agency, purpose=purpose, dossier=dossier.code) if takes and not staff else "",
        "purpose_label": BookingPurpose(purpose).label, "staff": staff, "booked": BookingStatus.BOOKED,
    }


@register.inclusion_tag("appointments/_dossier_bookings_admin.html")
def dossier_appointments_admin(dossier):
    """The dossier's appointments on its page in the admin (the clerk's view)."""
    return {"bookings": list(selectors.booking_list_for_dossier(dossier=dossier))}
