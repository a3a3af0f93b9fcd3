"""Public reads: the catalogue search and a procedure as the pages find them; a dossier's state by code + key, with
no personal data and the lookup page's own rate limit."""

import re

import pytest

from dossiers.constants import DossierStatus
from procedures import selectors as catalogue

pytestmark = pytest.mark.django_db


def _page_codes(client, query: str) -> list[str]:
    html = client.get("/thu-tuc/", {"q": query}).content.decode()
    return re.findall(r'href="/thu-tuc/([^/"]+)/"', html)


def test_the_search_answers_the_pages_ranking(client, build):
    for n in range(3):
        build.procedure()
    special = build.procedure()
    special.name = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    special.save()
    body = client.get("/api/v1/procedures", {"q": "giấy phép"}).json()
    codes = [row["code"] for row in body["results"]]
    assert codes and body["count"] == len(codes) == 4
    ids, _more = catalogue.procedure_search_ids(q="giấy phép")
    assert codes == list(dict.fromkeys(c for c in _page_codes(client, "giấy phép") if c in codes))
    assert len(ids) == 4
    assert client.get("/api/v1/procedures", {"q": "xay dung rieng le"}).json()["results"][0]["code"] == special.code


def test_bad_filters_are_dropped_as_on_the_page(client, build):
    build.procedure()
    response = client.get("/api/v1/procedures", {"level": "9", "scope": "nowhere", "agency": "x" * 50})
    assert response.status_code == 200 and response.json()["count"] == 1
    assert client.get("/api/v1/procedures", {"page": "two"}).status_code == 422


def test_a_procedure_is_found_by_its_short_national_code(client, build):
    procedure = build.procedure(code="1.001193.000.00.00.H34", fees=(50_000,))
    body = client.get("/api/v1/procedures/1.001193.000.00.00.H34").json()
    assert body["code"] == procedure.code and body["national_code"] == "1.001193"
    assert body["fees"] == [{"name": "Lệ phí cấp phép", "amount": 50_000}]
    assert [c["name"] for c in body["components"]] == ["Đơn đề nghị", "Bản sao CCCD"]
    assert client.get("/api/v1/procedures/1.001193").json()["code"] == procedure.code
    assert client.get("/api/v1/procedures/1001193").json()["code"] == procedure.code
    missing = client.get("/api/v1/procedures/9.999999")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_a_lookup_shows_the_state_without_personal_data(client, build):
    dossier = build.dossier(DossierStatus.RECEIVED)
    response = client.post("/api/v1/lookup", {"code": dossier.code, "key": "abc234"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 2 and body["procedure_code"] == dossier.procedure.code
    text = response.content.decode()
    for personal in (dossier.applicant_name, dossier.applicant_identity, dossier.applicant_phone,
                     dossier.applicant_email):
        assert personal not in text
    wrong = client.post("/api/v1/lookup", {"code": dossier.code, "key": "ZZZ999"}, content_type="application/json")
    assert wrong.status_code == 404 and wrong["Content-Type"] == "application/problem+json"


def test_the_lookup_shares_the_pages_rate_limit(client, build, settings):
    settings.DOSSIER_LOOKUP_LIMIT = 3
    dossier = build.dossier(DossierStatus.RECEIVED)
    good = {"code": dossier.code, "key": "ABC234"}
    assert client.post("/tra-cuu-ho-so/", good).status_code == 200  # the page counts one
    answers = [client.post("/api/v1/lookup", good, content_type="application/json").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert client.post("/tra-cuu-ho-so/", good).status_code == 429  # and the page sees the API's


def test_wrong_keys_for_a_code_lock_the_code_for_both(client, build, settings):
    settings.DOSSIER_LOOKUP_CODE_LIMIT = 2
    dossier = build.dossier(DossierStatus.RECEIVED)
    for _ in range(2):
        client.post("/api/v1/lookup", {"code": dossier.code, "key": "WRONG1"}, content_type="application/json")
    right = client.post("/api/v1/lookup", {"code": dossier.code, "key": "ABC234"}, content_type="application/json")
    assert right.status_code == 429 and right.json()["title_en"] == "Too many requests, please try again later"


def test_a_popular_search_is_kept_as_the_pages_until_the_catalogue_changes(client, build):
    procedure = build.procedure()
    answers = [client.get("/api/v1/procedures", {"q": "thử nghiệm"}) for _ in range(3)]
    assert [a["X-Page-Cache"] for a in answers] == ["miss", "miss", "hit"]
    assert answers[2].json() == answers[1].json() and answers[2]["Content-Type"] == "application/json; charset=utf-8"
    procedure.name = "Thủ tục thử nghiệm đổi tên"
    procedure.save()  # the catalogue's version moves
    from procedures import versioning

    versioning.forget()
    fresh = client.get("/api/v1/procedures", {"q": "thử nghiệm"})
    assert fresh["X-Page-Cache"] == "miss" and fresh.json()["results"][0]["name"] == "Thủ tục thử nghiệm đổi tên"
    keyed = client.get("/api/v1/procedures", {"q": "thử nghiệm"}, HTTP_AUTHORIZATION="Bearer x")
    assert "X-Page-Cache" not in keyed  # a request with a key is never served a kept copy
