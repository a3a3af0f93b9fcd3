"""Public pages served from the cache to anonymous visitors (common/page_cache.py), and only to them."""

import re

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client

from procedures.models import Procedure
from tests.factories.dossiers import Builder

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PUBLIC = ["/", "/huong-dan/", "/cau-hoi-thuong-gap/", "/dich-vu-cong-truc-tuyen/", "/thu-tuc/?field=test",
          "/thong-ke/", "/thong-ke/chi-so/"]


@pytest.fixture
def catalogue(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build = Builder()
    procedure = build.procedure()
    Procedure.objects.filter(pk=procedure.pk).update(is_frequent=True)
    return build, Procedure.objects.get(pk=procedure.pk)


@pytest.mark.parametrize("path", [*PUBLIC, "{procedure}"])
def test_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    catalogue, path, django_assert_num_queries
):
    path = path.format(procedure=catalogue[1].get_absolute_url())
    client = Client()
    first = client.get(path)
    if path.startswith("/thu-tuc/?"):  # a search is kept from its second request
        first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = Client().get(path)
    assert again["X-Page-Cache"] == "hit"
    assert again.content.decode().split("<main")[1] == first.content.decode().split("<main")[1]
    assert "Content-Security-Policy" in again  # the middleware still adds the headers


def test_a_logged_in_page_is_never_cached_for_anyone_and_vice_versa(catalogue):
    build, _ = catalogue
    citizen = build.citizen(full_name="Trần Thị Xuyến")
    name = citizen.get_short_name()  # what the menu shows
    assert name
    logged_in = Client()
    logged_in.force_login(citizen)
    anonymous = Client()

    page = logged_in.get("/")
    assert name in page.content.decode() and "X-Page-Cache" not in page
    for _ in range(2):
        page = anonymous.get("/")
        assert name not in page.content.decode() and "Đăng nhập" in page.content.decode()
    assert page["X-Page-Cache"] == "hit"
    page = logged_in.get("/")  # the anonymous copy is not served to the citizen
    assert name in page.content.decode() and "X-Page-Cache" not in page


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(catalogue):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    page = second.get("/")
    assert page["X-Page-Cache"] == "hit"
    assert "csrftoken" in page.cookies  # a new visitor still gets their CSRF cookie
    mine, theirs = TOKEN.search(page.content.decode()).group(1), TOKEN.search(first.get("/").content.decode()).group(1)
    assert mine != theirs
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": mine})
    assert switched.status_code == 302 and switched.cookies["django_language"].value == "en"
    assert second.get("/")["Content-Language"] == "en"


def test_languages_are_cached_apart(catalogue):
    Client().get("/")
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get("/")
    assert page["X-Page-Cache"] == "miss" and page["Content-Language"] == "en"
    assert Client().get("/")["Content-Language"] == "vi"


def test_a_change_to_the_catalogue_shows_at_once(catalogue):
    _, procedure = catalogue
    assert "Thủ tục cấp giấy phép thử nghiệm" in Client().get("/").content.decode()
    procedure.name = "Cấp đổi giấy phép lái xe"
    procedure.save()
    page = Client().get("/")
    assert page["X-Page-Cache"] == "miss" and "Cấp đổi giấy phép lái xe" in page.content.decode()


def test_a_visitor_with_a_message_or_a_session_is_not_served_the_cache(catalogue, client):
    Client().get("/")
    session_visitor = Client()
    session = session_visitor.session
    session["seen"] = 1
    session.save()
    session_visitor.cookies["sessionid"] = session.session_key
    assert "X-Page-Cache" not in session_visitor.get("/")

    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(message_levels.SUCCESS, "Bạn đã đăng xuất.")
    response = HttpResponse()
    storage.update(response)
    with_message = Client()
    with_message.cookies["messages"] = response.cookies["messages"].value
    page = with_message.get("/")
    assert "X-Page-Cache" not in page and "Bạn đã đăng xuất." in page.content.decode()


def test_a_one_off_search_is_not_stored(catalogue):
    assert Client().get("/thu-tuc/?q=giay+phep+thu")["X-Page-Cache"] == "miss"
    assert Client().get("/thu-tuc/?q=giay+phep+thu")["X-Page-Cache"] == "miss"  # stored now, from the 2nd
    assert Client().get("/thu-tuc/?q=giay+phep+thu")["X-Page-Cache"] == "hit"
    assert Client().get("/thu-tuc/?q=cap+doi")["X-Page-Cache"] == "miss"
