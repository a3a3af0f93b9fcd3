"""In Chromium at phone width: step 1 offers the communes' agencies with the citizen's own chosen, and follows
the commune they pick; a procedure no agency receives says where to go instead of offering the wizard."""

import pytest

from procedures.constants import AgencyKind, AgencyLevel
from procedures.models import Agency

from tests.e2e.conftest import assert_fits_width, shot
from tests.e2e.test_dossiers_browser import _citizen_page
from tests.factories.dossiers import Builder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUANG_NGAI, PHUONG_KON_TUM, XA_DAK_HA = 51, 23293, 23500


def _commune(code, name, commune, kind=AgencyKind.PEOPLE_COMMITTEE):
    return Agency.objects.create(code=code, name=name, level=AgencyLevel.COMMUNE, kind=kind, commune_code=commune)


def _page(browser, live_server, user):
    page = _citizen_page(browser, live_server, user)  # signed in, page errors collected
    page.set_viewport_size({"width": 360, "height": 760})
    return page


def test_step_one_chooses_the_citizens_commune_and_follows_the_one_picked(browser, live_server):
    build = Builder()
    kon_tum = _commune("000.30.01.H34", "Ủy ban nhân dân phường Kon Tum", PHUONG_KON_TUM)
    dak_ha = _commune("000.30.04.H34", "Ủy ban nhân dân xã Đăk Hà", XA_DAK_HA)
    police = _commune("000.31.04.H34", "Công an xã Đăk Hà", XA_DAK_HA, kind=AgencyKind.POLICE)
    procedure = build.procedure(agencies=[kon_tum, dak_ha, police])
    unreceived = build.procedure()
    unreceived.agencies.clear()
    unreceived.implementing_text = "Chi cục Hải quan khu vực"
    unreceived.save()
    page = _page(browser, live_server, build.citizen(province_code=QUANG_NGAI, commune_code=PHUONG_KON_TUM))

    page.goto(procedure.get_absolute_url())
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url("**/buoc-1/")
    agency = page.locator("select[name=agency]")
    assert agency.input_value() == str(kon_tum.pk)
    page.select_option("#id_applicant_commune_code", str(XA_DAK_HA))
    assert agency.input_value() == str(dak_ha.pk)  # its People's Committee, not its police
    assert_fits_width(page)
    shot(page, "receiving", "step-1-commune", "phone")

    page.goto(unreceived.get_absolute_url())
    assert page.get_by_role("link", name="Nộp hồ sơ trực tuyến").count() == 0
    assert "Chi cục Hải quan khu vực" in page.locator(".where-to-go").inner_text()
    assert_fits_width(page)
    shot(page, "receiving", "where-to-go", "phone")
    assert page.errors == []
