"""The clerk's day list per counter (check-in, queue number, no-show) and the operator's counters and hours.

Clerks see their own agencies' counters and bookings only (as dossiers/admin.py scopes dossiers); the actions
call services, and no field of a booking is edited by hand.
"""

from django.contrib import admin, messages
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.constants import AccessKind
from audit.services import access_record
from dossiers.calendar import add_working_days

from . import selectors, services
from .models import Booking, Counter, CounterHours


class CounterHoursInline(admin.TabularInline):
    model = CounterHours
    extra = 0


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "slot_minutes", "capacity", "lunch_start", "lunch_end", "is_active"]
    list_filter = ["is_active", "agency"]
    search_fields = ["name", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    inlines = [CounterHoursInline]

    def get_queryset(self, request):
        if request.user.has_perm("appointments.change_counter"):
            return super().get_queryset(request).select_related("agency")
        return selectors.counter_staff_queryset(user=request.user)


class DayFilter(admin.SimpleListFilter):
    """The day list: today unless another day is chosen."""

    title = _("ngày hẹn")
    parameter_name = "ngay"

    def lookups(self, request, model_admin):
        return [("hom-nay", _("Hôm nay")), ("ngay-lam-viec-sau", _("Ngày làm việc tiếp theo")),
                ("moi-ngay", _("Mọi ngày"))]

    def value(self):
        return super().value() or "hom-nay"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "hom-nay":
            return queryset.filter(starts_at__date=today)
        if self.value() == "ngay-lam-viec-sau":
            return queryset.filter(starts_at__date=add_working_days(today, 1))
        return queryset


class CounterFilter(admin.SimpleListFilter):
    """The clerk's own counters only (the agency filter of a provincial list would name every agency)."""

    title = _("quầy")
    parameter_name = "quay"

    def lookups(self, request, model_admin):
        return [(str(c.pk), str(c)) for c in selectors.counter_staff_queryset(user=request.user)]

    def queryset(self, request, queryset):
        return queryset.filter(counter_id=self.value()) if self.value() else queryset


def _run(modeladmin, request, queryset, service, done_message):
    done, refused = 0, []
    for booking in queryset:
        try:
            service(booking=booking, actor=request.user)
            done += 1
        except services.BookingRefused as exc:
            refused.append(f"{booking}: {exc.message}")
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.WARNING)


@admin.action(description=_("Tiếp đón (cấp số thứ tự)"), permissions=["change"])
def check_in(modeladmin, request, queryset):
    _run(modeladmin, request, queryset.order_by("starts_at", "pk"), services.booking_check_in,
         lambda n: ngettext("Đã tiếp đón %d người.", "Đã tiếp đón %d người.", n) % n)


@admin.action(description=_("Ghi không đến"), permissions=["change"])
def no_show(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.booking_mark_no_show,
         lambda n: ngettext("Đã ghi %d lịch hẹn không đến.", "Đã ghi %d lịch hẹn không đến.", n) % n)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # What the counter works by first (time, number, state), so it stays on screen beside the sidebars at 1280 px.
    list_display = ["slot_time", "queue", "status", "citizen_name", "purpose", "dossier", "counter_name"]
    list_filter = [DayFilter, CounterFilter, "status", "purpose"]
    search_fields = ["citizen__full_name", "citizen__email", "dossier__code"]
    ordering = ["starts_at", "counter", "queue_number"]
    actions = [check_in, no_show]
    list_per_page = 100
    view_on_site = False
    fields = ["agency", "counter", "starts_at", "ends_at", "purpose", "procedure", "dossier", "citizen_name",
              "citizen_phone", "status", "queue_number", "checked_in_at", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.booking_staff_queryset(user=request.user)

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        booking = self.get_object(request, object_id)
        if booking is not None and request.method == "GET":
            # The citizen's name and phone are personal data: who opened them is recorded, as for a dossier.
            access_record(request=request, kind=AccessKind.USER, ref=str(booking.citizen_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404  # another agency's booking: not found, as for a dossier (no hint that it exists)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("giờ hẹn"), ordering="starts_at")
    def slot_time(self, obj):
        return f"{timezone.localtime(obj.starts_at):%H:%M %d/%m}"

    @admin.display(description=_("số thứ tự"), ordering="queue_number")
    def queue(self, obj):
        return obj.queue_label or "—"

    @admin.display(description=_("người hẹn"), ordering="citizen__full_name")
    def citizen_name(self, obj):
        return obj.citizen.full_name or obj.citizen.email

    @admin.display(description=_("quầy"), ordering="counter__name")
    def counter_name(self, obj):
        return obj.counter.name

    @admin.display(description=_("điện thoại"))
    def citizen_phone(self, obj):
        return obj.citizen.phone or "—"
