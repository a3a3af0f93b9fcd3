"""Public pages served from the cache to anonymous visitors (common/page_cache.py), and only to them."""

import re
import threading
import time
from datetime import date, timedelta

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client

from procedures.models import Procedure
from procedures.services import catalogue_rows_saved
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
    catalogue_rows_saved(model=Procedure, pks=[procedure.pk])  # as the admin's save does
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


@pytest.mark.parametrize("path", [*PUBLIC, "{procedure}"])
def test_an_unknown_parameter_is_served_the_kept_page_and_never_stored_as_another(catalogue, path):
    path = path.format(procedure=catalogue[1].get_absolute_url())
    joiner = "&" if "?" in path else "?"
    for _ in range(2):  # kept (a search from its second request)
        Client().get(path)
    kept = Client().get(path)
    assert kept["X-Page-Cache"] == "hit"
    # A link shared with a tracking parameter, or a number nobody asked before: the page kept without it.
    for n in range(3):
        shared = Client().get(f"{path}{joiner}fbclid=IwAR{n}")
        assert shared["X-Page-Cache"] == "hit" and shared.status_code == 200
        assert shared.content.decode().split("<main")[1] == kept.content.decode().split("<main")[1]


def test_a_page_asked_with_an_unknown_parameter_first_is_rendered_not_stored(catalogue, settings):
    for n in range(3):
        page = Client().get(f"/huong-dan/?x={n}")
        assert page.status_code == 200 and page["X-Page-Cache"] == "miss"
    assert Client().get("/huong-dan/")["X-Page-Cache"] == "miss"  # nothing was stored meanwhile
    assert Client().get("/huong-dan/?x=3")["X-Page-Cache"] == "hit"  # the page itself is, once asked for


def test_the_order_of_the_parameters_is_one_page_and_a_repeated_one_is_not_stored(catalogue):
    Client().get("/thong-ke/?year=2026&month=1")
    assert Client().get("/thong-ke/?month=1&year=2026")["X-Page-Cache"] == "hit"
    assert Client().get("/thong-ke/?year=2025")["X-Page-Cache"] == "miss"
    for _ in range(2):
        assert Client().get("/thong-ke/?year=2024&year=2024")["X-Page-Cache"] == "miss"
    assert Client().get("/thong-ke/?year=2024")["X-Page-Cache"] == "miss"


def test_a_page_is_served_with_one_round_trip_to_the_cache(catalogue, monkeypatch):
    from django.core.cache import cache

    procedure = catalogue[1].get_absolute_url()
    for path in ("/", procedure, f"/thong-ke/?year={date.today().year}"):
        Client().get(path)
        calls, depth = [], [0]
        for name in ("get", "get_many", "get_or_set", "has_key", "add", "incr"):
            monkeypatch.setattr(cache, name, _counted(calls, name, getattr(cache, name), depth))
        assert Client().get(path)["X-Page-Cache"] == "hit"
        assert calls == ["get_many"], path
        monkeypatch.undo()


def _counted(calls, name, method, depth):
    def call(*args, **kwargs):
        if not depth[0]:  # the local-memory cache's get_many calls its get: one call for the client
            calls.append(name)
        depth[0] += 1
        try:
            return method(*args, **kwargs)
        finally:
            depth[0] -= 1

    return call


def test_a_page_rendered_elsewhere_before_the_edit_commits_is_not_served_after(catalogue, transactional_db):
    from django.db import connection, transaction

    _, procedure = catalogue

    def another_visitor():  # on its own connection, as another process or thread serves it
        try:
            return Client().get("/").content.decode()
        finally:
            connection.close()

    def in_a_thread(call):
        result = []
        thread = threading.Thread(target=lambda: result.append(call()))
        thread.start()
        thread.join()
        return result[0]

    with transaction.atomic():
        procedure.name = "Cấp đổi giấy phép lái xe"
        procedure.save()
        catalogue_rows_saved(model=Procedure, pks=[procedure.pk])
        # Between the save and the commit another visitor still reads the old rows, and the old version: the page
        # is kept under the version it was made from...
        assert "Cấp đổi giấy phép lái xe" not in in_a_thread(another_visitor)
    # ...so once the change is committed, nobody is served it.
    assert "Cấp đổi giấy phép lái xe" in in_a_thread(another_visitor)
    page = Client().get("/")
    assert page["X-Page-Cache"] == "hit" and "Cấp đổi giấy phép lái xe" in page.content.decode()


def test_a_version_counter_the_cache_lost_never_comes_back_to_a_number_a_kept_page_carries(db):
    """The statistics' counter is evicted (or flushed) while their pages stay; the next change must not make
    it a number one of those pages was stored under (it was "set 2" before: the old page came back)."""
    from django.core.cache import cache

    from common.page_cache import version_bump
    from reports.services import FIGURES_VERSION

    path = f"/thong-ke/?year={date.today().year}"
    for _ in range(2):  # two changes, a page kept under each version
        version_bump(FIGURES_VERSION)
        Client().get(path)
        assert Client().get(path)["X-Page-Cache"] == "hit"
    cache.delete(FIGURES_VERSION)  # lost; the pages are still there
    version_bump(FIGURES_VERSION)  # a change of the figures
    assert Client().get(path)["X-Page-Cache"] == "miss"


def test_the_statistics_cached_yesterday_are_computed_again_today(db, monkeypatch):
    from django.utils import timezone

    path = f"/thong-ke/?year={date.today().year}"
    Client().get(path)
    assert Client().get(path)["X-Page-Cache"] == "hit"
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date.today() + timedelta(days=1))
    assert Client().get(path)["X-Page-Cache"] == "miss"


def _burst(view, path="/same/"):
    """Two visitors ask for the same page at once; return their responses and how often the view ran."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory
    from django.utils import translation

    from common.page_cache import public_page

    ran = []
    started = threading.Event()

    @public_page()
    def page(request):
        ran.append(1)
        started.set()
        time.sleep(0.3)
        return view(request)

    def visit(out):
        request = RequestFactory().get(path)
        SessionMiddleware(lambda r: None).process_request(request)
        request.LANGUAGE_CODE = translation.get_language()
        out.append(page(request))

    first, second = [], []
    worker = threading.Thread(target=visit, args=(first,))
    worker.start()
    assert started.wait(5)
    visit(second)
    worker.join(5)
    return first[0], second[0], len(ran)


def test_a_burst_of_visitors_to_a_page_not_yet_cached_renders_it_once():
    from django.http import HttpResponse

    first, second, renders = _burst(lambda request: HttpResponse("<p>Trang tĩnh</p>"))
    assert renders == 1
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content == "<p>Trang tĩnh</p>".encode()


def test_a_page_that_is_not_kept_is_rendered_for_each_visitor_of_a_burst():
    from django.http import HttpResponse

    def personal(request):
        response = HttpResponse("<p>Của riêng bạn</p>")
        response.set_cookie("chosen", "1")
        return response

    started = time.monotonic()
    first, second, renders = _burst(personal)
    assert renders == 2 and "chosen" in first.cookies and "chosen" in second.cookies
    assert time.monotonic() - started < 1.5  # the second did not wait out the whole lock
