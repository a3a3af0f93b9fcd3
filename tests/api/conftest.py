"""System clients of the integration API, each with its key (as the operator's admin issues it)."""

import pytest

from api.constants import Scope
from api.models import ApiClient
from api.services import api_client_key_issue
from procedures.constants import StaffRole

ALL_ROLES = (StaffRole.RECEIVE, StaffRole.PROCESS, StaffRole.APPROVE)


def client_make(build, agency, *, scope=Scope.WRITE, roles=ALL_ROLES, rate_limit=120, name="Phần mềm một cửa"):
    """A client acting as a new staff account of `agency` with `roles` there; returns (client, key)."""
    client = ApiClient(name=name, account=build.clerk(agency, roles=roles), scope=scope, rate_limit=rate_limit)
    key = api_client_key_issue(client=client)
    client.save()
    client.agencies.set([agency])
    return client, key


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture(autouse=True)
def _rows_forgotten():
    """The API's kept catalogue rows are per catalogue version, which a rolled-back test may give again."""
    from api import public

    public._rows.clear()


@pytest.fixture
def agency(build):
    return build.agency()


@pytest.fixture
def procedure(build, agency):
    return build.procedure(agencies=[agency])


@pytest.fixture
def writer(build, agency):
    return client_make(build, agency)


@pytest.fixture
def reader(build, agency):
    return client_make(build, agency, scope=Scope.READ, name="Phần mềm chuyên ngành (đọc)")
