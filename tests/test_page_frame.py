"""The page's frame (templates/base.html): its fixed parts are kept per process, and nothing of one visitor
(name, CSRF token, path) ever shows in another's page."""

import re

import pytest
from django.test import Client

from tests.factories.dossiers import Builder

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<form action="/i18n/setlang/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT = re.compile(r'<input name="next" type="hidden" value="([^"]*)"')


def active_links(html: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" href="([^"]+)"', html)


@pytest.mark.parametrize("path, active", [
    ("/", "/"), ("/thu-tuc/", "/thu-tuc/"), ("/thu-tuc/?q=giay", "/thu-tuc/"), ("/tra-cuu-ho-so/", "/tra-cuu-ho-so/"),
    ("/thong-ke/", "/thong-ke/"), ("/thong-ke/chi-so/", "/thong-ke/"), ("/cau-hoi-thuong-gap/", "/cau-hoi-thuong-gap/"),
    ("/huong-dan/", "/huong-dan/"), ("/tai-khoan/dang-nhap/", None),
])
def test_the_menu_marks_the_section_of_each_page(path, active):
    for _ in range(2):  # rendered, then from the kept frame
        html = Client().get(path).content.decode()
        assert active_links(html) == ([active] if active else [])


def test_a_procedure_page_marks_the_catalogue():
    procedure = Builder().procedure()
    html = Client().get(procedure.get_absolute_url()).content.decode()
    assert active_links(html) == ["/thu-tuc/"]


def test_the_language_switch_carries_each_visitors_token_and_path():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get("/thu-tuc/?q=a&field=<b>").content.decode()
    page_two = second.get("/huong-dan/").content.decode()
    # Twice on each page (header, phone menu), each with the visitor's own token and page.
    assert len(TOKEN.findall(page_one)) == 2 and len(TOKEN.findall(page_two)) == 2
    assert set(TOKEN.findall(page_one)).isdisjoint(TOKEN.findall(page_two))
    assert NEXT.findall(page_one) == ["/thu-tuc/?q=a&amp;field=%3Cb%3E"] * 2
    assert NEXT.findall(page_two) == ["/huong-dan/"] * 2
    # The token works: the switch changes the language and comes back to the page.
    response = first.post("/i18n/setlang/", {"csrfmiddlewaretoken": TOKEN.findall(page_one)[0], "language": "en",
                                             "next": "/thu-tuc/?q=a"})
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/?q=a"
    assert 'lang="en"' in first.get("/thu-tuc/?q=a").content.decode()[:200]


def test_a_citizens_name_never_shows_in_anyone_elses_frame(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    citizen = Builder().citizen(full_name="Trần Thị Riêngtư")
    anonymous = Client().get("/huong-dan/").content.decode()  # the anonymous frame is kept first
    assert "Đăng nhập" in anonymous and "Riêngtư" not in anonymous
    logged_in = Client()
    logged_in.force_login(citizen)
    mine = logged_in.get("/huong-dan/").content.decode()
    assert "Riêngtư" in mine and "Đăng xuất" in mine and "/tai-khoan/dang-nhap/" not in mine
    again = Client().get("/huong-dan/").content.decode()
    assert "Riêngtư" not in again and "Đăng xuất" not in again and "Đăng nhập" in again


def test_the_pages_name_the_province_and_support_lines_the_portal_is_configured_for(settings):
    # Kon Tum, the seeds' example, is part of Quảng Ngãi since July 2025: no province is written in the frame.
    settings.PORTAL_NAME = "Cổng Dịch vụ công tỉnh Quảng Ngãi"
    settings.PORTAL_HOTLINES = [("0255.3822.999", "Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi")]
    for path in ("/", "/thu-tuc/", "/tai-khoan/dang-nhap/", "/cau-hoi-thuong-gap/"):
        html = Client().get(path).content.decode()
        assert "Cổng Dịch vụ công tỉnh Quảng Ngãi" in html and "Kon Tum" not in html, path
        assert html.count('href="tel:02553822999"') == (2 if path == "/cau-hoi-thuong-gap/" else 1), path
