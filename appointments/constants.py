"""Statuses of an appointment and the purposes a citizen books one for."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CANCELLED = "cancelled", _("Đã hủy")
    CHECKED_IN = "checked_in", _("Đã đến")
    NO_SHOW = "no_show", _("Không đến")


# A seat is held by every booking that is not cancelled (a no-show held it until the hour passed).
HOLDING = frozenset({BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW})
FINAL = frozenset({BookingStatus.CANCELLED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW})


class BookingPurpose(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    COLLECT = "collect", _("Nhận kết quả")


class BookingAction(models.TextChoices):
    BOOK = "book", _("Đặt lịch")
    MOVE = "move", _("Đổi giờ")
    CANCEL = "cancel", _("Hủy lịch")
    CHECK_IN = "check_in", _("Tiếp đón")
    NO_SHOW = "no_show", _("Ghi không đến")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


# The one table of moves: action -> (statuses it leaves from, status it arrives at). Moving keeps the status.
MOVES = {
    BookingAction.MOVE: (frozenset({BookingStatus.BOOKED}), BookingStatus.BOOKED),
    BookingAction.CANCEL: (frozenset({BookingStatus.BOOKED}), BookingStatus.CANCELLED),
    BookingAction.CHECK_IN: (frozenset({BookingStatus.BOOKED, BookingStatus.NO_SHOW}), BookingStatus.CHECKED_IN),
    BookingAction.NO_SHOW: (frozenset({BookingStatus.BOOKED}), BookingStatus.NO_SHOW),
}
