"""Two citizens move their bookings into each other's slots at the same moment, again and again (PostgreSQL).

Each move takes a seat in the new slot and gives one back in the old: A→B and B→A touch the same two seat rows.
Each thread is its own browser on the booking's signed link, with its own database connection; a barrier starts
every round together, and each move, once it holds its new seat, waits until the other move holds its own or is
queued behind a lock: the worst interleaving, every round, instead of once in a while. Nobody may see a server
error: each move is made or refused with the "slot full" message, and no slot ever holds more than its capacity.
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from appointments.constants import BookingStatus
from appointments import services
from appointments.models import Booking, SlotSeats
from appointments.tokens import booking_token

from .factories import at, booking_at, counter_for, working_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 20
FULL = "Khung giờ này vừa hết chỗ. Vui lòng chọn giờ khác."


def _other_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


def _move_back_and_forth(bookings, slots, monkeypatch) -> list:
    barrier, outcomes = threading.Barrier(len(bookings)), [[] for _ in bookings]
    took, here = [0] * ROUNDS, threading.local()
    take, guard = services._seat_take, threading.Lock()

    def take_then_wait(slot):
        counter = take(slot)
        with guard:
            took[here.round] += 1
        deadline = time.monotonic() + 10
        while took[here.round] < len(bookings) and not _other_waits_on_a_lock() and time.monotonic() < deadline:
            time.sleep(0.01)
        return counter

    monkeypatch.setattr(services, "_seat_take", take_then_wait)

    def citizen(n, booking):
        client = Client(raise_request_exception=False)
        url = reverse("appointments:manage", args=[booking_token(booking)])
        try:
            for here.round in range(ROUNDS):
                now_at = Booking.objects.get(pk=booking.pk).starts_at
                target = slots[1] if now_at == slots[0] else slots[0]
                barrier.wait(30)
                response = client.post(url, {"what": "move", "starts_at": target.isoformat()})
                outcomes[n].append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=citizen, args=(n, b)) for n, b in enumerate(bookings)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return [o for per_citizen in outcomes for o in per_citizen]


@pytest.mark.parametrize("capacity", [1, 2])
def test_opposite_moves_never_fail_nor_overbook(build, capacity, monkeypatch):
    agency = build.agency()
    counter = counter_for(agency, capacity=capacity)
    first, second = booking_at(agency, hour=9), booking_at(agency, hour=10)
    slots = [at(working_day(), 9), at(working_day(), 10)]

    outcomes = _move_back_and_forth([first, second], slots, monkeypatch)

    assert len(outcomes) == 2 * ROUNDS
    errors = [status for status, _ in outcomes if status not in (302, 400)]
    assert errors == []
    assert all(FULL in body for status, body in outcomes if status == 400)
    if capacity == 2:  # always room: every move is made
        assert [status for status, _ in outcomes] == [302] * (2 * ROUNDS)
    else:  # each slot holds the other citizen: every move is refused as full
        assert [status for status, _ in outcomes] == [400] * (2 * ROUNDS)
    for starts_at in slots:
        booked = Booking.objects.filter(starts_at=starts_at, status=BookingStatus.BOOKED).count()
        seats = SlotSeats.objects.get(counter=counter, starts_at=starts_at)
        assert seats.taken == booked <= capacity
