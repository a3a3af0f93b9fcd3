"""Working days by the official Vietnamese calendar as the `holidays` library knows it: Monday to Friday,
minus public holidays (lunar Tết, observed days), minus the days off bought by a make-up working Saturday,
plus that Saturday (2026: Saturday 22 August worked, Monday 31 August off). The days an operator sets in
the admin (an extra holiday, a make-up day the library does not know yet) win over the library."""

from datetime import date, timedelta

import holidays

from .constants import CalendarDayKind
from .models import CalendarDay


class WorkingCalendar:
    """Answer "is this a working day?" for a range of dates with one query."""

    def __init__(self, start: date, end: date):
        self.overrides = dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))
        self.official = holidays.VN(years=range(start.year, end.year + 1))

    def is_working_day(self, day: date) -> bool:
        kind = self.overrides.get(day)
        if kind == CalendarDayKind.HOLIDAY:
            return False
        if kind == CalendarDayKind.WORKDAY:
            return True
        # Weekends, holidays, substituted days off and make-up working Saturdays (weekend_workdays).
        return self.official.is_working_day(day)


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
