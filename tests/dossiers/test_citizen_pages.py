"""A citizen's own pages come from the cache (dossiers/citizen_pages.py): every write they show shows at once, one
citizen's page never reaches another, and each form carries the token of the session that asked for it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dossiers.constants import DossierAction, DossierStatus
from dossiers.models import Dossier
from dossiers.services import (
    dossier_draft_get_or_create,
    dossier_drafts_purge,
    dossier_move,
    dossier_rate,
    dossier_supplement_answer,
)
from procedures.services import catalogue_changed
from tests.factories.dossiers import pdf_upload

pytestmark = pytest.mark.django_db


def page(client, path, **query) -> str:
    response = client.get(path, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def citizen(build):
    return build.citizen()


@pytest.fixture
def me(client, citizen):
    client.force_login(citizen)
    return client


def test_a_move_shows_at_once_on_the_list_and_the_dossier(me, build, citizen):
    dossier = build.dossier(DossierStatus.SUBMITTED, owner=citizen)
    assert "Mới đăng ký" in page(me, "/ho-so/")
    before = page(me, f"/ho-so/{dossier.code}/")
    assert "Được tiếp nhận" not in before
    page(me, "/ho-so/", status=str(DossierStatus.RECEIVED))  # a filtered list kept too

    dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))

    assert "Được tiếp nhận" in page(me, "/ho-so/")
    assert dossier.code in page(me, "/ho-so/", status=str(DossierStatus.RECEIVED))
    assert "Được tiếp nhận" in page(me, f"/ho-so/{dossier.code}/")


def test_a_supplement_request_and_answer_show_at_once(me, build, citizen):
    from tests.factories.dossiers import pdf_upload

    dossier = build.dossier(DossierStatus.RECEIVED, owner=citizen)
    assert "Gửi bổ sung" not in page(me, f"/ho-so/{dossier.code}/")
    dossier_move(dossier=dossier, action=DossierAction.REQUEST_SUPPLEMENT, actor=build.clerk(dossier.agency),
                 note="Thiếu bản vẽ mặt bằng")
    text = page(me, f"/ho-so/{dossier.code}/")
    assert "Thiếu bản vẽ mặt bằng" in text and "Gửi bổ sung" in text

    response = me.post(f"/ho-so/{dossier.code}/",
                       {"what": "supplement", "note": "Gửi bản vẽ", "files": [pdf_upload("ban-ve.pdf")]})
    assert response.status_code == 302
    text = page(me, f"/ho-so/{dossier.code}/")
    assert "ban-ve.pdf" in text and "Gửi bổ sung" not in text


def test_a_rating_shows_at_once_and_its_message_only_once(me, build, citizen):
    dossier = build.dossier(DossierStatus.RETURNED, owner=citizen)
    assert "Gửi đánh giá" in page(me, f"/ho-so/{dossier.code}/")
    response = me.post(f"/ho-so/{dossier.code}/", {"what": "rate", "rating": "4", "comment": "Nhanh"}, follow=True)
    text = response.content.decode()
    assert "Cảm ơn bạn đã đánh giá." in text and "4/5" in text and "Gửi đánh giá" not in text
    again = page(me, f"/ho-so/{dossier.code}/")
    assert "4/5" in again and "Cảm ơn bạn đã đánh giá." not in again  # the message is not part of what is kept


def test_drafts_appear_and_go_at_once(me, build, citizen):
    procedure = build.procedure()
    assert "Bạn chưa có hồ sơ nào phù hợp." in page(me, "/ho-so/")
    draft = dossier_draft_get_or_create(user=citizen, procedure=procedure)
    assert "Tiếp tục soạn" in page(me, "/ho-so/")
    Dossier.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=90))  # set-up only
    page(me, "/ho-so/")
    dossier_drafts_purge(older_than=timedelta(days=30))
    assert "Tiếp tục soạn" not in page(me, "/ho-so/")


def test_a_file_sent_with_a_supplement_shows_at_once(me, build, citizen):
    dossier = build.dossier(DossierStatus.SUPPLEMENT, owner=citizen)
    assert "bo-sung.pdf" not in page(me, f"/ho-so/{dossier.code}/")
    dossier_supplement_answer(dossier=dossier, user=citizen, note="Gửi giấy tờ bổ sung",
                              files=[pdf_upload("bo-sung.pdf")])
    assert "bo-sung.pdf" in page(me, f"/ho-so/{dossier.code}/")


def test_a_rating_shows_at_once(me, build, citizen):
    dossier = build.dossier(DossierStatus.RETURNED, owner=citizen)
    assert "Bạn đã đánh giá" not in page(me, f"/ho-so/{dossier.code}/")
    dossier_rate(dossier=dossier, user=citizen, rating=4, comment="Nhanh, đúng hẹn")
    assert "Nhanh, đúng hẹn" in page(me, f"/ho-so/{dossier.code}/")


def test_a_renamed_procedure_or_agency_shows_at_once(me, build, citizen):
    dossier = build.dossier(DossierStatus.PROCESSING, owner=citizen)
    page(me, "/ho-so/")
    page(me, f"/ho-so/{dossier.code}/")
    dossier.procedure.name = "Thủ tục đã đổi tên"
    dossier.procedure.save()
    dossier.agency.name = "Sở đã đổi tên"
    dossier.agency.save()
    catalogue_changed()  # as the admin's saves do
    assert "Thủ tục đã đổi tên" in page(me, "/ho-so/")
    text = page(me, f"/ho-so/{dossier.code}/")
    assert "Thủ tục đã đổi tên" in text and "Sở đã đổi tên" in text


def test_overdue_follows_the_date(me, build, citizen, monkeypatch):
    dossier = build.dossier(DossierStatus.PROCESSING, owner=citizen, due_date=timezone.localdate())
    assert "Quá hạn</span>" not in page(me, "/ho-so/")
    assert "Quá hạn</span>" not in page(me, f"/ho-so/{dossier.code}/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert "Quá hạn</span>" in page(me, "/ho-so/")
    assert "Quá hạn</span>" in page(me, f"/ho-so/{dossier.code}/")


def test_the_language_chosen_shows_at_once(me, build, citizen):
    build.dossier(DossierStatus.PROCESSING, owner=citizen)
    assert "Mã hồ sơ" in page(me, "/ho-so/")
    me.post("/i18n/setlang/", {"language": "en", "next": "/ho-so/"})
    text = page(me, "/ho-so/")
    assert "Mã hồ sơ" not in text and "My dossiers" in text


def test_one_citizens_pages_never_reach_another(client, build):
    a, b = build.citizen(), build.citizen()
    mine_a = build.dossier(DossierStatus.PROCESSING, owner=a)
    mine_b = build.dossier(DossierStatus.RECEIVED, owner=b)
    client_a, client_b = Client(), Client()
    client_a.force_login(a)
    client_b.force_login(b)
    for path in ("/ho-so/", f"/ho-so/{mine_a.code}/", "/thanh-toan/"):
        client_a.get(path)
    listing = page(client_b, "/ho-so/")
    assert mine_b.code in listing and mine_a.code not in listing
    assert client_b.get(f"/ho-so/{mine_a.code}/").status_code == 404
    assert mine_a.code not in page(client_b, "/thanh-toan/")
    assert a.full_name not in page(client_b, "/ho-so/")


def test_each_session_gets_its_own_csrf_token_in_a_kept_page(build, citizen):
    dossier = build.dossier(DossierStatus.PROCESSING, owner=citizen)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(citizen)
    second.force_login(citizen)
    page(first, f"/ho-so/{dossier.code}/")  # kept
    text = page(second, f"/ho-so/{dossier.code}/")
    assert "csrf-token-hole" not in text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    response = second.post(f"/ho-so/{dossier.code}/", {"csrfmiddlewaretoken": token, "what": "withdraw",
                                                      "note": "Tôi muốn rút hồ sơ"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWAL


def test_a_refused_form_is_shown_with_its_errors_then_the_page_is_as_before(me, build, citizen):
    dossier = build.dossier(DossierStatus.PROCESSING, owner=citizen)
    page(me, f"/ho-so/{dossier.code}/")
    refused = me.post(f"/ho-so/{dossier.code}/", {"what": "withdraw", "note": ""})
    assert refused.status_code == 400 and "is-invalid" in refused.content.decode()
    assert "is-invalid" not in page(me, f"/ho-so/{dossier.code}/")


def test_kept_pages_cost_one_query(me, build, citizen, settings, django_assert_max_num_queries):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as on Redis (portal/settings/database.py)
    procedure = build.procedure()
    dossiers = [build.dossier(DossierStatus.PROCESSING, owner=citizen, procedure=procedure) for _ in range(15)]
    paths = ("/ho-so/", f"/ho-so/{dossiers[0].code}/", "/thanh-toan/")
    for path in paths:
        with django_assert_max_num_queries(8):  # the first view: the user, the page's own reads
            assert me.get(path).status_code == 200
    for path in paths:
        with django_assert_max_num_queries(1):  # then: the user; the session and the page from the cache
            assert me.get(path).status_code == 200


def test_pages_are_not_kept_on_a_cache_of_one_process(me, build, citizen, settings, django_assert_max_num_queries):
    """A local-memory cache (no CACHE_URL) belongs to one process: a write by a Celery task or another worker
    could not reach it, so nothing is kept there (portal/settings/database.py)."""
    settings.CITIZEN_PAGES_CACHED = False
    dossier = build.dossier(DossierStatus.SUBMITTED, owner=citizen)
    page(me, f"/ho-so/{dossier.code}/")
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RECEIVED)  # no signal: as another process
    assert "Được tiếp nhận" in page(me, f"/ho-so/{dossier.code}/")


def test_a_pending_message_shows_on_a_kept_page_once(me, build, citizen):
    dossier = build.dossier(DossierStatus.RETURNED, owner=citizen)
    assert "alert-danger" not in page(me, f"/ho-so/{dossier.code}/")  # kept
    refused = me.post(f"/ho-so/{dossier.code}/", {"what": "withdraw", "note": "Rút"})  # not allowed once returned
    assert refused.status_code == 302
    assert 'class="alert alert-danger"' in page(me, f"/ho-so/{dossier.code}/")
    assert 'class="alert alert-danger"' not in page(me, f"/ho-so/{dossier.code}/")


@pytest.fixture(params=["redis", "redis-down"])
def redis_cache(request, settings):
    from tests.conftest import free_port

    url = request.getfixturevalue("redis_url") if request.param == "redis" else f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": url}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as on Redis (portal/settings/database.py)
    return request.param


def test_on_redis_and_while_redis_is_down_pages_are_right(redis_cache, build, citizen, django_assert_max_num_queries):
    client = Client()
    client.force_login(citizen)
    dossier = build.dossier(DossierStatus.SUBMITTED, owner=citizen)
    assert "Mới đăng ký" in page(client, f"/ho-so/{dossier.code}/")
    if redis_cache == "redis":
        with django_assert_max_num_queries(1):  # the user; the session and the page from Redis
            assert "Mới đăng ký" in page(client, f"/ho-so/{dossier.code}/")
    dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
    assert "Được tiếp nhận" in page(client, f"/ho-so/{dossier.code}/")
    assert "Được tiếp nhận" in page(client, "/ho-so/")
