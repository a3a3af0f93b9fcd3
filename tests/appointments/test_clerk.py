"""The clerk's day list per counter in the admin: own agency only, check-in with the queue number, no-show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.constants import BookingStatus
from appointments.models import Booking
from appointments.services import BookingRefused, booking_check_in, booking_mark_no_show

from .factories import booking_at, counter_for

pytestmark = [pytest.mark.django_db]
CHANGELIST = reverse("admin:appointments_booking_changelist")


def _today(booking, hour):
    """Move a booking to today at `hour` (set-up only: the service offers no slot in the past)."""
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    Booking.objects.filter(pk=booking.pk).update(starts_at=start, ends_at=start + timedelta(minutes=30))
    booking.refresh_from_db()
    return booking


def test_the_clerk_sees_todays_list_of_own_agency_and_checks_people_in(client, build):
    from tests.support.otp import login_verified

    agency, other = build.agency(), build.agency()
    counter_for(agency, capacity=3)
    first = _today(booking_at(agency, citizen=build.citizen(full_name="Lê Văn Một"), hour=9), 0)
    second = _today(booking_at(agency, citizen=build.citizen(full_name="Phạm Thị Hai"), hour=9), 0)
    tomorrow = booking_at(agency, citizen=build.citizen(full_name="Ngày Mai"), hour=10)
    elsewhere = _today(booking_at(other, citizen=build.citizen(full_name="Cơ Quan Khác"), hour=9), 0)
    clerk = build.clerk(agency)
    login_verified(client, clerk)

    page = client.get(CHANGELIST).content.decode()
    assert "Lê Văn Một" in page and "Phạm Thị Hai" in page
    assert "Ngày Mai" not in page and "Cơ Quan Khác" not in page  # today only, own agency only
    assert "Ngày Mai" in client.get(CHANGELIST + "?ngay=ngay-lam-viec-sau").content.decode()
    assert client.get(reverse("admin:appointments_booking_change", args=[elsewhere.pk])).status_code == 404

    assert client.get(reverse("admin:appointments_booking_change", args=[first.pk])).status_code == 200
    from audit.models import AccessRecord

    assert AccessRecord.objects.filter(actor_id=clerk.pk, ref=str(first.citizen_id)).count() == 1

    response = client.post(CHANGELIST, {"action": "check_in", "_selected_action": [second.pk, first.pk]}, follow=True)
    assert "Đã tiếp đón 2 người." in response.content.decode()
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.queue_label, second.queue_label) == (BookingStatus.CHECKED_IN, "001", "002")
    assert "001" in client.get(CHANGELIST).content.decode()

    response = client.post(CHANGELIST + "?ngay=moi-ngay", {"action": "check_in", "_selected_action": [tomorrow.pk]},
                           follow=True)
    assert "Chỉ tiếp đón được lịch hẹn của hôm nay." in response.content.decode()


def test_no_show_only_after_the_hour_and_a_no_show_who_comes_late_is_still_received(build):
    agency = build.agency()
    clerk = build.clerk(agency)
    booking = booking_at(agency)
    with pytest.raises(BookingRefused):
        booking_mark_no_show(booking=booking, actor=clerk)
    _today(booking, 0)
    assert booking_mark_no_show(booking=booking, actor=clerk).status == BookingStatus.NO_SHOW
    assert booking_check_in(booking=booking, actor=clerk).queue_number == 1
    assert list(booking.events.values_list("action", flat=True)) == ["book", "no_show", "check_in"]


def test_a_process_role_without_the_counter_sees_no_list(client, build):
    from procedures.constants import StaffRole
    from tests.support.otp import login_verified

    agency = build.agency()
    login_verified(client, build.clerk(agency, roles=(StaffRole.PROCESS,)))
    assert client.get(CHANGELIST).status_code == 403
