"""Who may call: the key (missing, wrong, revoked, rotated), the agency, the scope and the client's own rate limit,
each refusal a problem document (RFC 9457)."""

import pytest

from api.services import api_client_key_issue, api_client_revoke
from audit.models import AccessRecord
from dossiers.constants import DossierStatus
from dossiers.models import Dossier

from .conftest import bearer, client_make

pytestmark = pytest.mark.django_db


def _problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"] == f"/api/v1/problems/{kind}"
    assert body["title"] and body["title_en"] and body["title"] != body["title_en"]  # Vietnamese, English
    return body


def test_a_dossier_read_needs_a_key(client, build, procedure):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    body = _problem(client.get(f"/api/v1/dossiers/{dossier.code}"), 401, "unauthorized")
    assert body["title"] == "Thiếu khóa API hoặc khóa không hợp lệ"
    assert body["title_en"] == "Missing or invalid API key"


def test_a_wrong_key_is_refused(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    _client, key = writer
    response = client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key[:-2] + "xx"))
    _problem(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")
    _problem(client.get(f"/api/v1/dossiers/{dossier.code}", **bearer("not-a-key")), 401, "unauthorized")
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key)).status_code == 200


def test_a_revoked_key_is_refused(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    api_client, key = writer
    assert api_client_revoke(client=api_client)
    _problem(client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key)), 401, "unauthorized")
    assert not api_client_revoke(client=api_client)  # once


def test_a_rotated_key_replaces_the_old_one_at_once(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    api_client, old = writer
    new = api_client_key_issue(client=api_client)
    _problem(client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(old)), 401, "unauthorized")
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(new)).status_code == 200
    api_client.refresh_from_db()
    assert api_client.rotated_at is not None and new not in (api_client.key_hash, api_client.key_id)


def test_only_a_hash_of_the_key_is_stored(writer):
    api_client, key = writer
    api_client.refresh_from_db()
    stored = " ".join(str(v) for v in api_client.__dict__.values())
    assert key.rsplit("_", 1)[1] not in stored


def test_another_agencys_dossier_is_not_found(client, build, writer):
    elsewhere = build.dossier(DossierStatus.RECEIVED, procedure=build.procedure())
    _client, key = writer
    _problem(client.get(f"/api/v1/dossiers/{elsewhere.code}", **bearer(key)), 404, "not-found")
    response = client.post(f"/api/v1/dossiers/{elsewhere.code}/moves", {"action": "start"}, **bearer(key))
    _problem(response, 404, "not-found")
    assert Dossier.objects.get(pk=elsewhere.pk).status == DossierStatus.RECEIVED


def test_a_read_client_cannot_move_a_dossier(client, build, procedure, reader):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    _client, key = reader
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key)).status_code == 200
    body = _problem(client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "receive"}, **bearer(key)),
                    403, "forbidden")
    assert body["detail"] == "Khóa API này chỉ được đọc hồ sơ."
    _problem(client.post(f"/api/v1/dossiers/{dossier.code}/results", {}, **bearer(key)), 403, "forbidden")
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED


def test_each_client_has_its_own_rate_limit(client, build, agency, procedure):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    _slow, slow_key = client_make(build, agency, rate_limit=3, name="Hệ thống A")
    _other, other_key = client_make(build, agency, rate_limit=3, name="Hệ thống B")
    path = f"/api/v1/dossiers/{dossier.code}"
    assert [client.get(path, **bearer(slow_key)).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(path, **bearer(slow_key))
    body = _problem(response, 429, "rate-limited")
    assert response["Retry-After"] == "60" and "3" in body["detail"]
    assert client.get(path, **bearer(other_key)).status_code == 200  # the other client's count is its own


def test_every_call_of_a_client_is_in_the_access_audit(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    api_client, key = writer
    client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key))
    client.get("/api/v1/dossiers/changes", **bearer(key))
    client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "receive"}, **bearer(key))
    rows = list(AccessRecord.objects.order_by("pk").values_list("actor_email", "kind", "path"))
    email = api_client.account.email
    assert rows == [(email, "dossier", f"/api/v1/dossiers/{dossier.code}"),
                    (email, "api", "/api/v1/dossiers/changes"),
                    (email, "dossier", f"/api/v1/dossiers/{dossier.code}/moves")]
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None
