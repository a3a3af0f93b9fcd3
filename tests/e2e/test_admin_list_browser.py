"""The clerk's dossier list in the admin at 1280×800: the columns a counter works by (status, due date,
overdue) are on screen without scrolling sideways, even with the catalogue's long procedure names."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from procedures.models import Agency
from tests.e2e.conftest import new_context, shot
from tests.factories.dossiers import Builder
from tests.support.otp import current_code, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-can-bo-2026"
# The longest kind of name the national catalogue has, and applicants with long names.
LONG_NAME = ("Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm "
             "thuộc thẩm quyền cấp phép của Ủy ban nhân dân cấp tỉnh (thủ tục cấp tỉnh)")
WATCHED = ("status", "due", "overdue")


@pytest.fixture
def desk():
    build = Builder()
    agency = Agency.objects.create(code="000.00.21.H34", name="Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi")
    procedure = build.procedure("1.004232.000.00.00.H34", agencies=[agency], days=15)
    procedure.name = LONG_NAME
    procedure.save()
    for n, status in enumerate([DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT,
                                DossierStatus.SUBMITTED, DossierStatus.PAYMENT]):
        dossier = build.dossier(status, procedure=procedure, applicant_name=f"Nguyễn Thị Phương Thảo Ngọc Hân {n}")
        if status != DossierStatus.SUBMITTED:
            Dossier.objects.filter(pk=dossier.pk).update(due_date=timezone.localdate() - timedelta(days=n))
    clerk = build.clerk(agency)
    clerk.set_password(PASSWORD)
    clerk.save()
    return clerk


def test_status_due_date_and_overdue_are_on_screen_at_1280(browser, live_server, desk):
    page = new_context(browser, base_url=live_server.url, viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/admin/login/?next=/admin/dossiers/dossier/")
    page.fill("#id_username", desk.email)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(totp_device(desk)))  # the code in the clerk's authenticator app
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/dossiers/dossier/")
    assert page.locator("#result_list tbody tr").count() == 5
    shot(page, "admin", "dossier-list", "1280")
    # Each watched cell lies inside the window and inside the list's own scrolling box, at scroll 0.
    cells = page.evaluate("""(names) => {
        const box = document.querySelector("#result_list").closest(".results") || document.body;
        const limit = Math.min(window.innerWidth, box.getBoundingClientRect().right);
        return names.map(name => [name, Math.max(...[...document.querySelectorAll("#result_list .field-" + name)]
            .map(cell => cell.getBoundingClientRect().right)), limit]);
    }""", list(WATCHED))
    for name, right, limit in cells:
        assert right <= limit, f"the {name} column ends at {right:.0f}px, past the visible {limit:.0f}px"
    widths = page.evaluate("""() => {
        const box = document.querySelector("#result_list").closest(".results");
        return [document.documentElement.scrollWidth - window.innerWidth, box.scrollWidth - box.clientWidth];
    }""")
    assert widths == [0, 0], f"sideways scroll: page {widths[0]}px, list {widths[1]}px"
    # The long procedure name is cut short on screen; its whole text is in the cell's title.
    cell = page.locator("#result_list td.field-procedure_short").first
    assert cell.locator("[title]").get_attribute("title") == LONG_NAME
