"""Working days: Monday to Friday, minus Vietnamese public holidays (lunar Tết included),
with the days an operator adds in the admin (an extra holiday, a make-up working Saturday)."""

from datetime import date, timedelta

import holidays

from .constants import CalendarDayKind
from .models import CalendarDay


class WorkingCalendar:
    """Answer "is this a working day?" for a range of dates with one query."""

    def __init__(self, start: date, end: date):
        self.overrides = dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))
        self.public_holidays = holidays.country_holidays("VN", years=range(start.year, end.year + 1))

    def is_working_day(self, day: date) -> bool:
        kind = self.overrides.get(day)
        if kind == CalendarDayKind.HOLIDAY:
            return False
        if kind == CalendarDayKind.WORKDAY:
            return True
        return day.weekday() < 5 and day not in self.public_holidays


def add_working_days(start: date, days: int) -> date:
    """Return the date `days` working days after `start` (the day of reception does not count)."""
    if days <= 0:
        return start
    span = timedelta(days=days * 2 + 60)  # enough for any run of weekends and holidays
    calendar, calendar_end = WorkingCalendar(start, start + span), start + span
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if current > calendar_end:
            calendar, calendar_end = WorkingCalendar(current, current + span), current + span
        if calendar.is_working_day(current):
            counted += 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Count working days from `start` (included) to `end` (excluded)."""
    if end <= start:
        return 0
    calendar = WorkingCalendar(start, end)
    return sum(1 for n in range((end - start).days) if calendar.is_working_day(start + timedelta(days=n)))
