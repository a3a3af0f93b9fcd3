"""Due dates in working days: weekends, Vietnamese holidays with lunar Tết, operator days, supplement pause."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from dossiers.calendar import add_working_days, working_days_between
from dossiers.constants import CalendarDayKind, DossierAction, DossierStatus
from dossiers.models import CalendarDay
from dossiers.services import dossier_move

pytestmark = pytest.mark.django_db


def test_plain_week_skips_the_weekend():
    assert add_working_days(date(2026, 11, 6), 3) == date(2026, 11, 11)  # Fri + 3 → Wed


def test_lunar_new_year_2027_is_skipped():
    # Tết Đinh Mùi: holidays Thu 4 Feb – Wed 10 Feb 2027.
    assert add_working_days(date(2027, 2, 3), 3) == date(2027, 2, 15)


def test_make_up_working_saturday_counts():
    CalendarDay.objects.create(date=date(2027, 2, 13), kind=CalendarDayKind.WORKDAY, note="Làm bù Tết")
    assert add_working_days(date(2027, 2, 3), 3) == date(2027, 2, 13)


def test_operator_holiday_is_skipped():
    CalendarDay.objects.create(date=date(2026, 11, 10), kind=CalendarDayKind.HOLIDAY, note="Nghỉ bù")
    assert add_working_days(date(2026, 11, 9), 1) == date(2026, 11, 11)


def test_national_day_and_reunification_day_are_holidays():
    assert working_days_between(date(2027, 4, 26), date(2027, 5, 7)) == 7  # 9 weekdays minus 30/4 and 3/5 (1/5 observed)


def _at(monkeypatch, day):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(datetime(day.year, day.month, day.day, 9)))


def test_supplement_request_stops_the_clock(build, monkeypatch):
    procedure = build.procedure(days=5)
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    clerk = build.clerk(dossier.agency)
    _at(monkeypatch, date(2026, 11, 2))  # Monday
    dossier = dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=clerk)
    assert dossier.due_date == date(2026, 11, 9)
    _at(monkeypatch, date(2026, 11, 4))  # Wednesday: request; Wed, Thu, Fri are lost
    dossier = dossier_move(dossier=dossier, action=DossierAction.REQUEST_SUPPLEMENT, actor=clerk, note="Thiếu bản vẽ")
    assert not dossier.is_overdue
    _at(monkeypatch, date(2026, 11, 9))  # next Monday the citizen answers
    from dossiers.uploads import CheckedFile

    from tests.factories.dossiers import pdf_upload

    upload = pdf_upload()
    dossier = dossier_move(
        dossier=dossier, action=DossierAction.ANSWER_SUPPLEMENT, actor=dossier.owner,
        files=[CheckedFile(upload=upload, original_name="ban-ve.pdf", extension="pdf", size=upload.size)],
    )
    assert dossier.due_date == date(2026, 11, 12)
    assert dossier.status == DossierStatus.PROCESSING
