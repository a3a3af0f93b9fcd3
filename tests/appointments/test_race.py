"""The booking race on PostgreSQL: many citizens press "Đặt lịch hẹn" for the same slot at the same moment.

Each thread is its own browser (a test Client signed in as its citizen) with its own database connection; they
start together behind a barrier. Exactly the slot's capacity is booked; everyone else is told in Vietnamese.
"""

import pytest
from django.test import Client
from django.urls import reverse

from appointments.constants import BookingStatus
from appointments.models import Booking, SlotSeats
from tests.support.threads import run_together

from .factories import at, counter_for, working_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PEOPLE, CAPACITY = 20, 3


def _race(agency, citizens, starts_at) -> list:
    clients = [Client() for _ in citizens]
    for client, citizen in zip(clients, citizens):
        client.force_login(citizen)
    url = reverse("appointments:book", args=[agency.code])
    form = {"purpose": "submit", "starts_at": starts_at.isoformat()}
    responses = run_together(*[lambda client=client: client.post(url, form) for client in clients], raise_errors=True)
    return [(response.status_code, response.content.decode()) for response in responses]


def test_twenty_at_once_into_three_seats(build):
    agency = build.agency()
    counter = counter_for(agency, capacity=CAPACITY)
    citizens = [build.citizen() for _ in range(PEOPLE)]
    starts_at = at(working_day(), 9)
    results = _race(agency, citizens, starts_at)

    assert sorted(status for status, _ in results) == [302] * CAPACITY + [400] * (PEOPLE - CAPACITY)
    refused = [body for status, body in results if status == 400]
    assert all("Khung giờ này vừa hết chỗ. Vui lòng chọn giờ khác." in body for body in refused)
    assert Booking.objects.filter(starts_at=starts_at, status=BookingStatus.BOOKED).count() == CAPACITY
    assert SlotSeats.objects.get(counter=counter, starts_at=starts_at).taken == CAPACITY


def test_one_citizen_in_many_tabs_gets_one_booking(build):
    agency = build.agency()
    counter_for(agency, capacity=10)
    citizen = build.citizen()
    starts_at = at(working_day(), 10)
    results = _race(agency, [citizen] * 8, starts_at)
    assert sorted(status for status, _ in results) == [302] + [400] * 7
    assert all("Bạn đã có một lịch hẹn vào giờ này." in body for status, body in results if status == 400)
    assert SlotSeats.objects.get(starts_at=starts_at).taken == 1


def test_the_database_refuses_a_seat_past_the_capacity_whatever_the_code(build):
    from django.db import IntegrityError

    agency = build.agency()
    counter = counter_for(agency, capacity=2)
    seats = SlotSeats.objects.create(counter=counter, starts_at=at(working_day(), 9), capacity=2, taken=2)
    with pytest.raises(IntegrityError):
        SlotSeats.objects.filter(pk=seats.pk).update(taken=3)
