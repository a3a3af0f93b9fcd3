"""The API's cells of the permission matrix (accounts.roles.API_SCOPES, API_PUBLIC): scope × operation, each
checked against the running API; and the operator's admin of system clients: a key shown once, rotated, revoked."""

import re

import pytest
from django.contrib.auth.models import Group

from accounts.roles import API_PUBLIC, API_SCOPES, OPERATOR
from api.constants import Scope
from api.models import ApiClient
from api.v1 import api
from dossiers.constants import DossierStatus
from tests.support.otp import login_verified

from .conftest import bearer, client_make

pytestmark = pytest.mark.django_db


def _operations() -> dict[str, tuple[str, str]]:
    """The document's operations by view name (the matrix names views): name → (method, path)."""
    found = {}
    for router_prefix, router in api._routers:  # noqa: SLF001
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found[operation.view_func.__name__] = (method, "/api/v1" + router_prefix + path)
    return found


def test_every_operation_has_its_cells():
    operations = set(_operations())
    assert operations == API_PUBLIC | API_SCOPES["read"] | API_SCOPES["write"]
    assert API_SCOPES["read"] <= API_SCOPES["write"] and not API_PUBLIC & API_SCOPES["write"]


CELLS = [(scope, name) for scope in Scope.values for name in sorted(API_SCOPES["write"])]


@pytest.mark.parametrize(("scope", "name"), CELLS, ids=["-".join(c) for c in CELLS])
def test_api_cell(client, build, agency, scope, name):
    procedure = build.procedure(agencies=[agency])
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    _api_client, key = client_make(build, agency, scope=scope)
    method, path = _operations()[name]
    path = re.sub(r"\{code\}", dossier.code, path).replace("{uuid}", "00000000-0000-0000-0000-000000000000")
    response = getattr(client, method.lower())(path, **bearer(key))
    assert (response.status_code != 403) == (name in API_SCOPES[scope]), response.content


def test_the_operator_issues_rotates_and_revokes_a_key(client, build, agency):
    from accounts.models import User

    operator = User.objects.create_user("vanhanh@kontum.gov.vn", "x-Secret-123", is_active=True, is_staff=True)
    operator.groups.add(Group.objects.get(name=OPERATOR.group))
    login_verified(client, operator)
    account = build.clerk(agency)
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=build.procedure(agencies=[agency]))
    response = client.post("/admin/api/apiclient/add/", {
        "name": "Phần mềm hộ tịch", "account": account.pk, "agencies": [agency.pk], "scope": "read",
        "rate_limit": 60}, follow=True)
    page = response.content.decode()
    [key] = re.findall(r"dvc_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", page)
    assert "chỉ hiển thị một lần" in page
    api_client = ApiClient.objects.get()
    assert key.split("_", 2)[2] not in str(ApiClient.objects.values().get())
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key)).status_code == 200
    assert key not in client.get(f"/admin/api/apiclient/{api_client.pk}/change/").content.decode()  # once

    page = client.post("/admin/api/apiclient/", {"action": "rotate", "_selected_action": [api_client.pk]},
                       follow=True).content.decode()
    [new] = re.findall(r"dvc_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", page)
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key)).status_code == 401
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(new)).status_code == 200
    client.post("/admin/api/apiclient/", {"action": "revoke", "_selected_action": [api_client.pk]})
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(new)).status_code == 401
    assert ApiClient.objects.filter(revoked_at__isnull=False).count() == 1  # kept, for the audit trail
