"""Booking, moving and cancelling as a citizen does it, the e-mails with their .ics (read back with icalendar),
the signed link, and the rules against double booking and hoarding."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from appointments.constants import BookingStatus
from appointments.models import Booking, SlotSeats
from notifications.models import Email

from .factories import at, counter_for, working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(build):
    agency = build.agency(name="Sở Tư pháp")
    agency.address = "123 Lê Hồng Phong, Kon Tum"
    agency.save()
    return agency, counter_for(agency, capacity=1)


def _book(client, agency, hour, **extra):
    data = {"purpose": "submit", "starts_at": at(working_day(), hour).isoformat(), **extra}
    return client.post(reverse("appointments:book", args=[agency.code]), data)


def _calendar(message) -> Calendar:
    (name, content, mimetype), = message.attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    return Calendar.from_ical(content)


def _event(cal):
    (event,) = cal.walk("VEVENT")
    return event


def _manage_url(message) -> str:
    return re.search(r"https?://\S+(/lich-hen/ve/\S+/)", message.body).group(1)


def test_book_move_and_cancel_with_the_calendar_file(client, build, desk, django_capture_on_commit_callbacks):
    agency, counter = desk
    citizen = build.citizen(full_name="Trần Thị Mai")
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = _book(client, agency, 9)
    assert response.status_code == 302 and response["Location"] == reverse("appointments:mine")
    booking = Booking.objects.get(citizen=citizen)
    assert (booking.status, booking.counter, booking.sequence) == (BookingStatus.BOOKED, counter, 0)
    assert SlotSeats.objects.get(counter=counter, starts_at=booking.starts_at).taken == 1
    confirmation = mail.outbox[-1]
    assert confirmation.to == [citizen.email] and "Xác nhận lịch hẹn 09:00" in confirmation.subject
    cal = _calendar(confirmation)
    event = _event(cal)
    uid = str(event["UID"])
    assert cal["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event.decoded("DTSTART") == at(working_day(), 9)
    assert str(event.decoded("DTSTART").tzinfo) == "Asia/Ho_Chi_Minh"
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Asia/Ho_Chi_Minh" and [s["TZOFFSETTO"].to_ical() for s in tz.walk("STANDARD")] == ["+0700"]
    assert "Sở Tư pháp" in str(event["SUMMARY"]) and "123 Lê Hồng Phong" in str(event["LOCATION"])
    # The outbox keeps no live link; the message sent has one, and it works without signing in.
    stored = Email.objects.get(to=citizen.email)
    assert "/lich-hen/ve/" not in stored.body_text
    manage = _manage_url(confirmation)
    client.logout()

    page = client.get(manage)
    assert page.status_code == 200 and "Sở Tư pháp" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(manage, {"what": "move", "starts_at": at(working_day(), 14).isoformat()})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == at(working_day(), 14) and booking.sequence == 1
    assert SlotSeats.objects.get(counter=counter, starts_at=at(working_day(), 9)).taken == 0  # the old seat freed
    event = _event(_calendar(mail.outbox[-1]))
    assert (str(event["UID"]), event["SEQUENCE"]) == (uid, 1) and "đã đổi sang 14:00" in mail.outbox[-1].subject

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(manage, {"what": "cancel"})
    assert cancelled.status_code == 302
    assert "Đã hủy lịch hẹn" in client.get(manage).content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.sequence == 2
    cal = _calendar(mail.outbox[-1])
    assert cal["METHOD"] == "CANCEL" and str(_event(cal)["UID"]) == uid and _event(cal)["SEQUENCE"] == 2
    assert _event(cal)["STATUS"] == "CANCELLED"
    assert SlotSeats.objects.get(counter=counter, starts_at=at(working_day(), 14)).taken == 0

    # The freed seat (capacity 1) can be booked by someone else at once.
    other = build.citizen()
    client.force_login(other)
    assert _book(client, agency, 14).status_code == 302


def test_a_tampered_or_foreign_link_is_refused(client, build, desk, django_capture_on_commit_callbacks):
    agency, _counter = desk
    client.force_login(build.citizen())
    with django_capture_on_commit_callbacks(execute=True):
        _book(client, agency, 9)
    manage = _manage_url(mail.outbox[-1])
    client.logout()
    token = manage.split("/")[-2]
    tampered = manage.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    for url in (tampered, reverse("appointments:manage", args=["khong-phai-lien-ket"])):
        response = client.get(url)
        assert response.status_code == 404 and "Liên kết không hợp lệ" in response.content.decode()
        assert client.post(url, {"what": "cancel"}).status_code == 404
    assert Booking.objects.get().status == BookingStatus.BOOKED
    # A new secret kills the links sent before.
    Booking.objects.update(secret="doi-bi-mat")
    assert client.get(manage).status_code == 404


def test_a_full_slot_and_a_second_booking_at_the_same_hour_get_a_message(client, build, desk):
    agency, _counter = desk
    client.force_login(build.citizen())
    assert _book(client, agency, 9).status_code == 302
    again = _book(client, agency, 9)
    assert again.status_code == 400 and "Bạn đã có một lịch hẹn vào giờ này." in again.content.decode()
    client.force_login(build.citizen())
    full = _book(client, agency, 9)
    assert full.status_code == 400 and "Khung giờ này vừa hết chỗ" in full.content.decode()
    assert "checked" in full.content.decode()  # the chosen purpose and hour are kept on the page


def test_a_citizen_may_hold_only_so_many_future_appointments(client, build, desk, settings):
    settings.APPOINTMENT_MAX_ACTIVE = 2
    agency, _counter = desk
    client.force_login(build.citizen())
    assert _book(client, agency, 8).status_code == 302
    assert _book(client, agency, 9).status_code == 302
    third = _book(client, agency, 10)
    assert third.status_code == 400 and "tối đa 2 lịch hẹn sắp tới" in third.content.decode()


def test_a_slot_outside_the_hours_or_without_a_purpose_is_refused_next_to_its_field(client, build, desk):
    agency, _counter = desk
    client.force_login(build.citizen())
    lunch = _book(client, agency, 12)
    assert lunch.status_code == 400 and "không còn nhận lịch hẹn" in lunch.content.decode()
    no_purpose = client.post(reverse("appointments:book", args=[agency.code]),
                             {"starts_at": at(working_day(), 9).isoformat()})
    assert 'id="error-purpose"' in no_purpose.content.decode()
    assert Booking.objects.count() == 0


def test_booked_from_the_dossier_page_and_shown_there_and_to_the_clerk(client, build, desk):
    agency, _counter = desk
    procedure = build.procedure(agencies=[agency])
    dossier = build.dossier(procedure=procedure)
    client.force_login(dossier.owner)
    page = client.get(dossier.get_absolute_url()).content.decode()
    book_url = f"{reverse('appointments:book', args=[agency.code])}?purpose=submit&amp;dossier={dossier.code}"
    assert book_url in page
    form = client.get(book_url.replace("&amp;", "&")).content.decode()
    assert dossier.code in form and 'value="submit" checked' in form
    assert _book(client, agency, 9, dossier=dossier.code).status_code == 302
    booking = Booking.objects.get()
    assert booking.dossier == dossier and booking.procedure == procedure
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'id="dossier-appointments"' in page and "Đã đặt" in page
    assert "Đặt lịch hẹn" in client.get(reverse("procedures:detail", args=[procedure.code])).content.decode()

    from tests.support.otp import login_verified

    login_verified(client, build.clerk(agency))
    admin_page = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).content.decode()
    assert "Lịch hẹn tại Bộ phận một cửa" in admin_page and "09:00" in admin_page


def test_someone_elses_dossier_cannot_be_named(client, build, desk):
    agency, _counter = desk
    dossier = build.dossier(procedure=build.procedure(agencies=[agency]))
    client.force_login(build.citizen())
    assert _book(client, agency, 9, dossier=dossier.code).status_code == 302
    assert Booking.objects.get().dossier is None


def test_my_appointments_lists_upcoming_with_their_link(client, build, desk):
    agency, _counter = desk
    citizen = build.citizen()
    client.force_login(citizen)
    _book(client, agency, 9)
    page = client.get(reverse("appointments:mine")).content.decode()
    assert "Sở Tư pháp" in page and "/lich-hen/ve/" in page and "Đổi giờ hoặc hủy" in page
    assert client.get(reverse("appointments:book", args=["khong-co"])).status_code == 404
    client.logout()
    assert client.get(reverse("appointments:mine")).status_code == 302
