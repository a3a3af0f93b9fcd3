"""The national portal's sandbox on a real HTTP server, and the portal's sync pointed at it."""

import json
import urllib.parse
import urllib.request

import pytest

from dossiers import services
from dossiers.constants import DossierAction


@pytest.fixture
def national(live_server, settings):
    """Sync on, to the sandbox served by the live server; a failed record is due again at once (backoff 0), so a
    test drives the retries by running the sweep, as the beat does."""
    settings.NATIONAL_SYNC_ENABLED = True
    settings.NATIONAL_MOTCUA_URL = f"{live_server.url}/sandbox/dvcqg/motcua"
    settings.NATIONAL_V2_URL = f"{live_server.url}/sandbox/dvcqg/v2"
    # Long enough for a live server on a loaded machine (1 s timed out a v2 upload in CI); the timeout test sets 1.
    settings.NATIONAL_SYNC_TIMEOUT = 10.0
    settings.NATIONAL_SYNC_BACKOFF = 0.0
    settings.NATIONAL_SYNC_SWEEP_AFTER = 0
    settings.NATIONAL_SYNC_PROTOCOL = "motcua"
    return Sandbox(live_server.url)


class Sandbox:
    """The sandbox as a tester drives it: over HTTP, never through the portal's code."""

    def __init__(self, url: str):
        self.url = url + "/sandbox/dvcqg"

    def control(self, protocol: str, mode: str, *, every: int = 1, times: int = 0, delay: float = 30.0) -> dict:
        request = urllib.request.Request(
            self.url + "/control/", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"protocol": protocol, "mode": mode, "every": every, "times": times,
                             "delay": delay}).encode(),
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def lookup(self, protocol: str, *codes: str) -> dict:
        query = urllib.parse.urlencode({"protocol": protocol, "MaHoSo": ",".join(codes)})
        with urllib.request.urlopen(f"{self.url}/tra-cuu/?{query}", timeout=5) as response:
            return {row["MaHoSo"]: row for row in json.loads(response.read())["data"]}

    def page(self) -> str:
        with urllib.request.urlopen(self.url + "/", timeout=5) as response:
            return response.read().decode()


@pytest.fixture
def walk(build):
    """A dossier submitted by its citizen and moved by a clerk through the given actions (the product's services)."""

    def go(*actions, procedure=None):
        procedure = procedure or build.procedure(fees=(50_000,))
        citizen = build.citizen()
        dossier = services.dossier_submit(dossier=build.ready_draft(procedure=procedure, owner=citizen), user=citizen)
        clerk = build.clerk(dossier.agency)
        for action, extra in actions:
            dossier = services.dossier_move(dossier=dossier, action=action, actor=clerk, **extra)
        return dossier

    return go


RECEIVE = (DossierAction.RECEIVE, {})
START = (DossierAction.START, {})
