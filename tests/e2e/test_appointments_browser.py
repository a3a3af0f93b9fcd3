"""In Chromium, at phone and desktop width: a citizen books a counter appointment from the procedure page, sees
it in "Lịch hẹn của tôi", and moves then cancels it through the e-mail's signed link, signed out. axe-clean."""

import re

import pytest
from django.core import mail

from appointments.constants import BookingStatus
from appointments.models import Booking
from tests.appointments.factories import counter_for
from tests.e2e.axe import assert_axe_clean
from tests.e2e.conftest import assert_fits_width, shot, sign_in
from tests.factories.dossiers import Builder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_book_from_the_procedure_page_then_move_and_cancel_by_the_link(pages, live_server, viewport):
    build = Builder()
    agency = build.agency(name="Sở Tư pháp tỉnh Kon Tum")
    counter_for(agency, name="Quầy số 3", capacity=2)
    procedure = build.procedure(agencies=[agency])
    citizen = build.citizen(full_name="Nguyễn Thị Hoa")
    page = pages[viewport]
    sign_in(page, live_server.url, citizen)

    page.goto(f"/thu-tuc/{procedure.code}/")
    page.get_by_role("link", name="Đặt lịch hẹn").click()
    page.wait_for_url(f"**/lich-hen/dat/{agency.code}/?*")
    assert page.get_by_role("heading", level=1).inner_text() == "Đặt lịch hẹn tại Bộ phận một cửa"
    assert page.get_by_label("Nộp hồ sơ").is_checked()  # preset by the procedure page
    assert_fits_width(page)
    shot(page, "appointments", "book", viewport)
    assert_axe_clean(page)

    page.get_by_role("button", name="Đặt lịch hẹn").click()  # no time chosen
    assert "Vui lòng chọn một giờ hẹn." in page.locator("#error-starts-at").inner_text()
    assert page.get_by_label("Nộp hồ sơ").is_checked()  # nothing chosen is lost
    shot(page, "appointments", "book-error", viewport)
    assert_axe_clean(page)

    slot = page.locator("details[open] input.btn-check:not([disabled]) + label").first
    chosen = slot.locator(".slot-time").inner_text()
    slot.click()
    page.get_by_role("button", name="Đặt lịch hẹn").click()
    page.wait_for_url("**/lich-hen/")
    assert f"Đã đặt lịch hẹn lúc {chosen}" in page.locator(".alert-success").inner_text()
    card = page.locator("[id^=lich-]").first
    assert chosen in card.inner_text() and "Quầy số 3" in card.inner_text()
    assert_fits_width(page)
    shot(page, "appointments", "mine", viewport)
    assert_axe_clean(page)

    # Signed out, from the e-mail's link.
    link = re.search(r"https?://\S+(/lich-hen/ve/\S+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    page.goto(link)
    assert chosen in page.locator("#booking-summary").inner_text()
    assert_fits_width(page)
    shot(page, "appointments", "manage", viewport)
    assert_axe_clean(page)
    assert page.locator("label.slot-current").inner_text().startswith(chosen)  # the hour held now, not offered
    page.locator("details[open] input.btn-check:not([disabled]) + label").first.click()
    page.get_by_role("button", name="Đổi giờ hẹn").click()
    assert "Đã đổi lịch hẹn sang" in page.locator(".alert-success").inner_text()
    page.get_by_role("button", name="Hủy lịch hẹn").click()
    assert "Đã hủy lịch hẹn" in page.locator(".alert-success").inner_text()
    assert page.locator("#booking-status").inner_text() == "Đã hủy"
    shot(page, "appointments", "cancelled", viewport)
    booking = Booking.objects.get(citizen=citizen)
    assert (booking.status, booking.sequence) == (BookingStatus.CANCELLED, 2)
    # The one refused form (no time chosen) answered 400, as a form with errors does here; nothing else failed.
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]


def test_the_clerk_checks_people_in_from_the_days_list(browser, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from tests.appointments.factories import booking_at
    from tests.e2e.conftest import new_context
    from tests.support.otp import current_code, totp_device

    build = Builder()
    agency = build.agency(name="Ủy ban nhân dân phường Kon Tum")
    counter_for(agency, name="Quầy số 1", capacity=3)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    for n, name in enumerate(["Lê Văn Một", "Phạm Thị Hai", "Y Blang Niê"]):
        booking = booking_at(agency, citizen=build.citizen(full_name=name), hour=8 + n)
        Booking.objects.filter(pk=booking.pk).update(starts_at=start + timedelta(minutes=30 * n),
                                                    ends_at=start + timedelta(minutes=30 * n + 30))
    clerk = build.clerk(agency)
    clerk.set_password("Mat-khau-can-bo-2026")
    clerk.save()
    page = new_context(browser, base_url=live_server.url, viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/admin/login/?next=/admin/appointments/booking/")
    page.fill("#id_username", clerk.email)
    page.fill("#id_password", "Mat-khau-can-bo-2026")
    page.fill("#id_otp_token", current_code(totp_device(clerk)))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/appointments/booking/")
    assert page.locator("#result_list tbody tr").count() == 3
    page.locator("#result_list tbody tr").nth(0).locator("input.action-select").check()
    page.locator("#result_list tbody tr").nth(1).locator("input.action-select").check()
    page.select_option("select[name=action]", "check_in")
    page.click("button[name=index]")
    assert "Đã tiếp đón 2 người." in page.locator(".messagelist").inner_text()
    assert [page.locator("#result_list tbody tr").nth(n).locator(".field-queue").inner_text() for n in range(3)] == [
        "001", "002", "—"]
    shot(page, "appointments", "clerk-day-list", "desktop")
