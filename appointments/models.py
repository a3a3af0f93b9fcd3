"""Counters of the one-stop desk with their opening hours, the seats of each slot, and the citizens' bookings."""

import secrets
import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import BookingPurpose, BookingStatus, Weekday


class Counter(models.Model):
    """A counter (quầy) of an agency's one-stop desk: its slots, their length and how many people each takes."""

    agency = models.ForeignKey("procedures.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE,
                               related_name="counters")
    name = models.CharField(_("tên quầy"), max_length=120)
    location = models.CharField(_("vị trí"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang nhận lịch hẹn"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(_("độ dài khung giờ (phút)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("số người mỗi khung giờ"), default=2)
    lunch_start = models.TimeField(_("nghỉ trưa từ"), default=time(11, 30))
    lunch_end = models.TimeField(_("nghỉ trưa đến"), default=time(13, 30))

    class Meta:
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        ordering = ["agency__name", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=5) & Q(capacity__gte=1), name="counter_slot_sane"),
            models.CheckConstraint(condition=Q(lunch_end__gte=F("lunch_start")), name="counter_lunch_ordered"),
        ]

    def __str__(self):
        return f"{self.name} — {self.agency.name}"


class CounterHours(models.Model):
    """When a counter opens on one weekday (a make-up working Saturday opens with Monday's hours)."""

    counter = models.ForeignKey(Counter, verbose_name=_("quầy"), on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    opens = models.TimeField(_("mở cửa"))
    closes = models.TimeField(_("đóng cửa"))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["counter", "weekday"], name="counter_hours_one_per_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="counter_hours_ordered"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class SlotSeats(models.Model):
    """How many seats of one slot of one counter are taken: the database's guard against overbooking.

    A booking takes a seat with one guarded UPDATE (`taken = taken + 1 WHERE taken < capacity`), which PostgreSQL
    runs one at a time on the row; the CHECK constraint refuses anything past the capacity even if a code path
    forgot the guard.
    """

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="seats")
    starts_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    taken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["counter", "starts_at"], name="slot_seats_one_per_slot"),
            models.CheckConstraint(condition=Q(taken__gte=0) & Q(taken__lte=F("capacity")),
                                   name="slot_seats_within_capacity"),
        ]


def _new_secret() -> str:
    return secrets.token_urlsafe(24)


class Booking(models.Model):
    """A citizen's appointment at an agency's counter."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("công dân"), on_delete=models.CASCADE,
                                related_name="bookings")
    agency = models.ForeignKey("procedures.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="bookings")
    counter = models.ForeignKey(Counter, verbose_name=_("quầy"), on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("giờ hẹn"))
    ends_at = models.DateTimeField(_("đến"))
    purpose = models.CharField(_("mục đích"), max_length=10, choices=BookingPurpose.choices)
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("thủ tục"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="bookings")
    status = models.CharField(_("trạng thái"), max_length=12, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED)
    queue_number = models.PositiveSmallIntegerField(_("số thứ tự"), null=True, blank=True)
    # The calendar event's SEQUENCE (RFC 5545 §3.8.7.4): raised at each change, so calendars replace the old one.
    sequence = models.PositiveIntegerField(default=0)
    # Part of the signed link in the e-mails (tokens.py); a new secret kills every link sent before.
    secret = models.CharField(max_length=64, default=_new_secret, editable=False)
    created_at = models.DateTimeField(_("ngày đặt"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("đã nhắc lúc"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("đến lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["starts_at", "counter", "queue_number"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "starts_at"], condition=Q(status="booked"),
                                    name="booking_one_active_per_citizen_and_slot"),
            models.UniqueConstraint(fields=["counter", "starts_at", "queue_number"],
                                    condition=Q(queue_number__isnull=False), name="booking_queue_number_unique"),
        ]
        indexes = [models.Index(fields=["agency", "starts_at"]), models.Index(fields=["citizen", "starts_at"])]

    def __str__(self):
        return f"{self.agency.name} {self.starts_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("appointments:mine") + f"#lich-{self.uuid}"

    @property
    def queue_label(self) -> str:
        return f"{self.queue_number:03d}" if self.queue_number else ""


class BookingEvent(models.Model):
    """One change of a booking: who, when, from, to (written by services._apply, never edited)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    starts_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
