"""Appointments at the one-stop counter (appointments/): how far ahead, how many per citizen, the reminder."""

from .base import env

# Working days ahead a citizen may book, and the minutes a slot must be ahead of now to be offered.
APPOINTMENT_DAYS_AHEAD = env.int("APPOINTMENT_DAYS_AHEAD", default=10)
APPOINTMENT_MIN_LEAD_MINUTES = env.int("APPOINTMENT_MIN_LEAD_MINUTES", default=60)
# Future appointments one citizen may hold at once (against hoarding the slots).
APPOINTMENT_MAX_ACTIVE = env.int("APPOINTMENT_MAX_ACTIVE", default=3)
# The reminder goes out the working day before, from this hour (the beat's appointments-remind, tasks.py).
APPOINTMENT_REMIND_HOUR = env.int("APPOINTMENT_REMIND_HOUR", default=8)
APPOINTMENT_REMIND_EVERY = env.int("APPOINTMENT_REMIND_EVERY", default=900)  # seconds
