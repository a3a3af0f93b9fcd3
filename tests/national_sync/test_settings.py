"""The sync's settings in production: credentials refused at their development values once sync or its sandbox is
on, the sandbox installed, routed and warned about only by its own setting."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.test_production_settings import load, manage, production, refused  # noqa: F401  (load: a fixture)

SECRETS = {"NATIONAL_MOTCUA_PASSWORD": "sandbox-motcua-password", "NATIONAL_V2_CLIENT_SECRET": "sandbox-v2-client-secret"}
OWN = {"NATIONAL_MOTCUA_PASSWORD": "Kt-9f3x-motcua", "NATIONAL_V2_CLIENT_SECRET": "Kt-2m7q-v2-secret"}


def test_sync_off_needs_no_credentials(load):
    loaded = load(production())
    assert loaded["NATIONAL_SYNC_ENABLED"] is False and "sandbox_dvcqg" not in loaded["INSTALLED_APPS"]


@pytest.mark.parametrize("switch", ["NATIONAL_SYNC_ENABLED", "NATIONAL_SANDBOX"])
def test_the_credentials_are_refused_unset_or_at_the_sandbox_values(load, switch):
    assert refused(load, production(**{switch: "1"})) == list(SECRETS)
    assert refused(load, production(**{switch: "1"}, **SECRETS)) == list(SECRETS)
    assert refused(load, production(**{switch: "1"}, **OWN)) == []


def test_deploy_check_warns_about_the_national_sandbox(tmp_path):
    warned = manage(tmp_path, production(NATIONAL_SANDBOX="1", **OWN), "check", "--deploy", "--fail-level", "WARNING")
    assert warned.returncode != 0 and "(portal.W007) NATIONAL_SANDBOX is on" in warned.stderr


@pytest.mark.parametrize(("env", "routed"), [
    (production(NATIONAL_SYNC_ENABLED="1", **OWN), False),
    (production(NATIONAL_SANDBOX="1", **OWN), True),
])
def test_the_sandbox_is_routed_only_by_its_setting(tmp_path, env, routed):
    code = ("import django; django.setup(); from django.urls import Resolver404, resolve\n"
            "try:\n    resolve('/sandbox/dvcqg/motcua/login'); print('routed')\nexcept Resolver404:\n    print('no')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], "PORTAL_VAR_DIR": str(tmp_path / "var"),
                               "DJANGO_SETTINGS_MODULE": "portal.settings", **env})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == (["routed"] if routed else ["no"])
