"""The reminder the working day before, from the beat: once per booking, only for the next working day."""

import pytest
from django.conf import settings
from django.core import mail

from appointments.models import Booking
from appointments.tasks import appointments_remind
from portal.celery import app

from .factories import at, booking_at, working_day

pytestmark = pytest.mark.django_db


def test_the_beat_runs_the_reminder_task():
    entry = settings.CELERY_BEAT_SCHEDULE["appointments-remind"]
    assert entry["task"] in app.tasks and entry["schedule"] == float(settings.APPOINTMENT_REMIND_EVERY)


def test_citizens_of_the_next_working_day_are_reminded_once(build, settings, django_capture_on_commit_callbacks):
    settings.APPOINTMENT_REMIND_HOUR = 0
    agency = build.agency()
    citizen = build.citizen()
    with django_capture_on_commit_callbacks(execute=True):
        tomorrow = booking_at(agency, citizen=citizen, hour=9)
        later = booking_at(agency, citizen=citizen, hour=10)
    Booking.objects.filter(pk=later.pk).update(starts_at=at(working_day(2), 9), ends_at=at(working_day(2), 9, 30))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert appointments_remind.apply().get() == 1
    (reminder,) = mail.outbox
    assert reminder.to == [citizen.email] and reminder.subject.startswith("Nhắc lịch hẹn 09:00")
    assert "/lich-hen/ve/" in reminder.body and reminder.attachments[0][0] == "lich-hen.ics"
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert appointments_remind.apply().get() == 0  # the next run of the beat sends nothing again
    assert len(mail.outbox) == 1


def test_no_reminder_before_the_hour(build, settings):
    settings.APPOINTMENT_REMIND_HOUR = 24  # never reached
    booking_at(build.agency())
    assert appointments_remind.apply().get() == 0
