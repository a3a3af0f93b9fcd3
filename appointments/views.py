"""Citizen pages: my appointments, book a slot at an agency's counter, and the signed link to cancel or move."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.selectors import dossiers_accessible
from procedures.models import Agency, Procedure

from . import selectors, services
from .constants import BookingPurpose, BookingStatus
from .forms import BookingForm, MoveForm
from .tokens import booking_from_token, booking_token


@login_required
def mine(request):
    bookings = list(selectors.booking_list_for_citizen(user=request.user)[:100])
    now = timezone.now()
    upcoming = [b for b in bookings if b.status == BookingStatus.BOOKED and b.ends_at > now]
    upcoming.sort(key=lambda b: b.starts_at)
    for booking in upcoming:
        booking.manage_token = booking_token(booking)
    others = [b for b in bookings if b not in upcoming]
    return render(request, "appointments/mine.html", {"upcoming": upcoming, "others": others})


def _days(agency) -> list:
    first, last = selectors.booking_window()
    return selectors.slots_for_agency(agency=agency, start=first, end=last)


def _initial(request, agency) -> tuple[dict, Procedure | None, Dossier | None]:
    """What the procedure or dossier page preset: the purpose, and which procedure or dossier it is about."""
    source = request.POST if request.method == "POST" else request.GET
    procedure = Procedure.objects.filter(code=source.get("procedure") or "").first()
    dossier = None
    if source.get("dossier"):
        dossier = dossiers_accessible(user=request.user, write=True).filter(code=source["dossier"]) \
            .exclude(status=DossierStatus.DRAFT).select_related("procedure").first()
    purpose = source.get("purpose") if source.get("purpose") in BookingPurpose.values else ""
    initial = {"purpose": purpose, "procedure": procedure.code if procedure else "",
               "dossier": dossier.code if dossier else ""}
    return initial, procedure, dossier


@login_required
@require_http_methods(["GET", "POST"])
def book(request, agency_code):
    agency = get_object_or_404(Agency, code=agency_code)
    initial, procedure, dossier = _initial(request, agency)
    form = BookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                citizen=request.user, agency=agency, starts_at=form.cleaned_data["starts_at"],
                purpose=form.cleaned_data["purpose"], procedure=procedure, dossier=dossier)
        except services.BookingRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused.message))
        else:
            local = timezone.localtime(booking.starts_at)
            messages.success(request, _("Đã đặt lịch hẹn lúc %(time)s ngày %(day)s tại %(counter)s. Thư xác nhận "
                                        "kèm tệp lịch (.ics) đã được gửi tới %(email)s.") % {
                "time": f"{local:%H:%M}", "day": f"{local:%d/%m/%Y}", "counter": booking.counter.name,
                "email": request.user.email})
            return redirect("appointments:mine")
    chosen = form["starts_at"].value() or ""
    return render(request, "appointments/book.html", {
        "agency": agency, "form": form, "days": _days(agency), "chosen": chosen, "procedure": procedure,
        "dossier": dossier,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def manage(request, token):
    """The signed link of the e-mails: no sign-in; cancelling or moving frees the slot at once."""
    booking = booking_from_token(token)
    if booking is None:
        return render(request, "appointments/link_invalid.html", status=404)
    form = MoveForm(request.POST if request.POST.get("what") == "move" else None)
    if request.method == "POST":
        try:
            if request.POST.get("what") == "cancel":
                services.booking_cancel(booking=booking)
                messages.success(request, _("Đã hủy lịch hẹn. Khung giờ đã được trả lại cho người khác đặt."))
                return redirect("appointments:manage", token=token)
            if form.is_valid():
                booking = services.booking_move(booking=booking, starts_at=form.cleaned_data["starts_at"])
                local = timezone.localtime(booking.starts_at)
                messages.success(request, _("Đã đổi lịch hẹn sang %(time)s ngày %(day)s.") % {
                    "time": f"{local:%H:%M}", "day": f"{local:%d/%m/%Y}"})
                return redirect("appointments:manage", token=token)
        except services.BookingRefused as refused:
            form.add_error("starts_at" if refused.field == "starts_at" else None, str(refused.message))
    can_change = booking.status == BookingStatus.BOOKED and booking.starts_at > timezone.now()
    return render(request, "appointments/manage.html", {
        "booking": booking, "form": form, "can_change": can_change,
        "days": _days(booking.agency) if can_change else [], "chosen": form["starts_at"].value() or "",
        "current": timezone.localtime(booking.starts_at).isoformat(),
    }, status=400 if form.errors else 200)
