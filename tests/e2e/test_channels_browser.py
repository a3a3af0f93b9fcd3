"""The pages of the citizen's and the clerk's walk that issue 16 finished, in Chromium: at 360 and 1280 px, in
Vietnamese and in English, nothing wider than the screen, axe with no serious or critical finding; a screenshot
of each under artifacts/screenshots/walk/<page>-<language>-<viewport>.png."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dossiers.constants import DossierAction, DossierStatus, FeeStatus, ResultMethod
from dossiers.services import dossier_move
from tests.e2e.axe import AxeLog, axe_source, describe
from tests.e2e.conftest import SCREENSHOTS, VIEWPORTS, assert_fits_width, shot
from tests.factories.dossiers import Builder
from tests.support.otp import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ("vi", "en")


@pytest.fixture
def walk():
    """A citizen with dossiers in the states the walk looks at, and a clerk of their agency."""
    build = Builder()
    agency = build.agency(name="Sở Xây dựng")
    procedure = build.procedure(agencies=[agency], components=("Đơn đề nghị cấp giấy phép", "Bản vẽ thiết kế"),
                                fees=[150_000])
    citizen = build.citizen(full_name="Đặng Thị Thu Hà", province_code=51, commune_code=23293,
                            street_address="12 Trần Hưng Đạo")
    clerk = build.clerk(agency)
    today = timezone.localdate()
    by_post = build.dossier(DossierStatus.DONE, procedure=procedure, owner=citizen, result_method=ResultMethod.POST,
                            result_address="12 Trần Hưng Đạo, Phường Kon Tum, Quảng Ngãi", applicant_province_code=51,
                            applicant_commune_code=23293, applicant_address="12 Trần Hưng Đạo",
                            received_at=timezone.now(), due_date=today)
    from dossiers.uploads import check_upload
    from tests.factories.dossiers import pdf_upload

    by_post.status = DossierStatus.PROCESSING
    by_post.save()
    result = [check_upload(pdf_upload("giay-phep-xay-dung.pdf"), accepted=["pdf"], max_bytes=10**6)]
    dossier_move(dossier=by_post, action=DossierAction.FINISH, actor=clerk, files=result)
    dossier_move(dossier=by_post, action=DossierAction.RETURN_RESULT, actor=clerk, postal_tracking="EP123456789VN")
    supplement = build.dossier(DossierStatus.PROCESSING, procedure=procedure, owner=citizen,
                               due_date=today + timedelta(days=1))
    dossier_move(dossier=supplement, action=DossierAction.REQUEST_SUPPLEMENT, actor=clerk,
                 note="Bản vẽ thiếu chữ ký của người lập.", components=[procedure.components.order_by("position").last()])
    owed = build.dossier(DossierStatus.PAYMENT, procedure=procedure, owner=citizen, fee_total=150_000,
                         payment_status=FeeStatus.UNPAID)
    build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    draft = build.dossier(DossierStatus.DRAFT, procedure=procedure, owner=citizen,
                          applicant_province_code=51, applicant_commune_code=23293)
    return {"citizen": citizen, "clerk": clerk, "by_post": by_post, "supplement": supplement, "owed": owed,
            "draft": draft}


def _session_cookie(user, *, verified=False) -> str:
    client = Client()
    if verified:
        login_verified(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _page(browser, base_url, viewport, language, session=None):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN", base_url=base_url)
    host = base_url.split("://", 1)[1].split(":")[0]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    if session:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"})
    context.add_cookies(cookies)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


def _look(page, axe, name, language, viewport):
    assert_fits_width(page)
    blocking = axe.check(page, f"{name}-{language}-{viewport}")
    shot(page, "walk", f"{name}-{language}", viewport)
    assert not blocking, f"{name} ({language}, {viewport}):\n{describe(blocking)}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_walk_fits_and_passes_axe_in_both_languages(browser, live_server, walk, viewport):
    axe = AxeLog(SCREENSHOTS / "walk" / f"axe-{viewport}.json", source=axe_source())
    citizen_session = _session_cookie(walk["citizen"])
    clerk_session = _session_cookie(walk["clerk"], verified=True)
    try:
        for language in LANGUAGES:
            anonymous = _page(browser, live_server.url, viewport, language)
            anonymous.goto("/")
            # On a phone the way in is in sight without opening the menu.
            login = anonymous.locator(".portal-nav a[href='/tai-khoan/dang-nhap/']:visible")
            assert login.count() == 1 and login.first.is_visible()
            _look(anonymous, axe, "home", language, viewport)
            anonymous.goto("/thong-ke/")
            december = anonymous.locator("svg.stats-chart-svg:visible text.chart-label").nth(11).bounding_box()
            assert december["x"] + december["width"] <= VIEWPORTS[viewport]["width"]
            _look(anonymous, axe, "statistics", language, viewport)
            anonymous.goto("/thong-ke/chi-so/")
            _look(anonymous, axe, "service-index", language, viewport)
            anonymous.context.close()

            page = _page(browser, live_server.url, viewport, language, citizen_session)
            page.goto(f"/ho-so/soan/{walk['draft'].uuid}/buoc-1/")
            assert page.locator("#id_applicant_commune_code").input_value() == "23293"
            _look(page, axe, "wizard-applicant", language, viewport)

            page.goto(f"/ho-so/{walk['by_post'].code}/")
            assert "EP123456789VN" in page.inner_text("#result")
            assert page.get_by_role("link", name="giay-phep-xay-dung.pdf").first.is_visible()
            _look(page, axe, "dossier-result-by-post", language, viewport)

            page.goto(f"/ho-so/{walk['supplement'].code}/")
            assert page.locator("#supplement-components li").all_inner_texts() == ["Bản vẽ thiết kế"]
            _look(page, axe, "dossier-supplement", language, viewport)

            page.goto(f"/thanh-toan/ho-so/{walk['owed'].code}/")
            _look(page, axe, "fee", language, viewport)
            assert page.errors == []
            page.context.close()

            clerk = _page(browser, live_server.url, viewport, language, clerk_session)
            clerk.goto("/admin/")
            assert clerk.locator("#queue-receive .work-queue-count").inner_text() == "1"
            _look(clerk, axe, "admin-work-queue", language, viewport)
            clerk.goto(f"/admin/dossiers/dossier/{walk['supplement'].pk}/move/request_supplement/")
            _look(clerk, axe, "admin-supplement-components", language, viewport)
            clerk.context.close()
    finally:
        axe.write()
