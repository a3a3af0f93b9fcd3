"""Every kind of day in 2025–2027 against the official calendar (holidays' VN, make-up days included),
and the operator's days winning over it. The table is the one the issue's closing note quotes."""

from datetime import date

import pytest

from dossiers.calendar import WorkingCalendar, add_working_days
from dossiers.constants import CalendarDayKind
from dossiers.models import CalendarDay

pytestmark = pytest.mark.django_db

W, OFF = True, False
DAYS = [
    # (day, working?, kind)
    (date(2025, 3, 12), W, "ordinary Wednesday"),
    (date(2025, 3, 15), OFF, "ordinary Saturday"),
    (date(2025, 3, 16), OFF, "ordinary Sunday"),
    (date(2025, 1, 1), OFF, "New Year's Day"),
    (date(2025, 1, 27), OFF, "Tết 2025, 29th of the last lunar month"),
    (date(2025, 1, 31), OFF, "Tết 2025, third day"),
    (date(2025, 2, 3), W, "first working day after Tết 2025"),
    (date(2025, 4, 7), OFF, "Hùng Kings' day 2025"),
    (date(2025, 4, 26), W, "make-up working Saturday 2025"),
    (date(2025, 5, 2), OFF, "day off bought by 26 April 2025"),
    (date(2025, 9, 1), OFF, "National Day 2025, first day (Monday)"),
    (date(2025, 9, 2), OFF, "National Day 2025"),
    (date(2026, 2, 16), OFF, "Tết 2026, New Year's Eve"),
    (date(2026, 2, 20), OFF, "Tết 2026, fourth day"),
    (date(2026, 2, 23), W, "first working day after Tết 2026"),
    (date(2026, 4, 27), OFF, "Hùng Kings' day 2026 observed (Sunday 26 → Monday)"),
    (date(2026, 4, 30), OFF, "Reunification Day 2026"),
    (date(2026, 5, 1), OFF, "Labour Day 2026"),
    (date(2026, 8, 21), W, "Friday before the 2026 make-up Saturday"),
    (date(2026, 8, 22), W, "make-up working Saturday 2026"),
    (date(2026, 8, 23), OFF, "Sunday after it"),
    (date(2026, 8, 31), OFF, "day off bought by 22 August 2026"),
    (date(2026, 9, 2), OFF, "National Day 2026"),
    (date(2026, 9, 3), W, "first working day after National Day 2026"),
    (date(2026, 11, 24), OFF, "Vietnam Cultural Day 2026"),
    (date(2027, 2, 4), OFF, "Tết 2027, 29th"),
    (date(2027, 2, 10), OFF, "Tết 2027, fifth day"),
    (date(2027, 2, 11), W, "first working day after Tết 2027"),
    (date(2027, 4, 16), OFF, "Hùng Kings' day 2027"),
    (date(2027, 5, 3), OFF, "Labour Day 2027 observed (Saturday 1 → Monday)"),
    (date(2027, 9, 3), OFF, "National Day 2027, second day"),
    (date(2027, 11, 24), OFF, "Vietnam Cultural Day 2027"),
]


@pytest.mark.parametrize(("day", "working", "kind"), DAYS, ids=[f"{d:%Y-%m-%d} {k}" for d, _, k in DAYS])
def test_each_kind_of_day_follows_the_official_calendar(day, working, kind):
    assert WorkingCalendar(day, day).is_working_day(day) is working


OVERRIDES = [
    (date(2026, 3, 11), CalendarDayKind.HOLIDAY, OFF, "operator holiday on a weekday"),
    (date(2026, 3, 14), CalendarDayKind.WORKDAY, W, "operator workday on a Saturday"),
    (date(2026, 9, 2), CalendarDayKind.WORKDAY, W, "operator workday on an official holiday"),
    (date(2026, 8, 22), CalendarDayKind.HOLIDAY, OFF, "operator holiday on the official make-up Saturday"),
    (date(2026, 8, 31), CalendarDayKind.WORKDAY, W, "operator workday on the official substituted day off"),
]


@pytest.mark.parametrize(("day", "override", "working", "kind"), OVERRIDES, ids=[k for *_, k in OVERRIDES])
def test_operator_days_win_over_the_library(day, override, working, kind):
    CalendarDay.objects.create(date=day, kind=override, note=kind)
    assert WorkingCalendar(day, day).is_working_day(day) is working


DUE = [
    (date(2026, 8, 21), 1, date(2026, 8, 22), "Friday + 1 is the make-up Saturday, not Monday"),
    (date(2026, 8, 28), 1, date(2026, 9, 3), "Friday + 1 skips Monday 31 August off and National Day"),
    (date(2026, 8, 20), 5, date(2026, 8, 26), "five days across the make-up Saturday end Wednesday, not Thursday"),
    (date(2025, 4, 25), 1, date(2025, 4, 26), "Friday + 1 is the 2025 make-up Saturday"),
    (date(2025, 4, 29), 2, date(2025, 5, 6), "30 April, 1 and 2 May off"),
    (date(2027, 2, 3), 3, date(2027, 2, 15), "Tết 2027"),
]


@pytest.mark.parametrize(("start", "days", "due", "why"), DUE, ids=[w for *_, w in DUE])
def test_due_dates_around_official_days(start, days, due, why):
    assert add_working_days(start, days) == due
