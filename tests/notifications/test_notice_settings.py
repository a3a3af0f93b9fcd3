"""The notice channels' settings in production: keys required only with the channel on, the sandbox's refused;
the SMS and Zalo sandboxes installed, routed and warned about only by their own setting."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.test_production_settings import load, manage, production, refused  # noqa: F401  (load: a fixture)

KEYS = ["SMS_API_KEY", "SMS_SECRET_KEY", "ZALO_OA_ACCESS_TOKEN"]


def test_channels_off_need_no_keys_and_install_no_sandbox(load):
    loaded = load(production())
    assert loaded["NOTICE_CHANNELS"] == [] and not (loaded["SMS_SANDBOX"] or loaded["ZALO_SANDBOX"])
    assert "notice_sandbox" not in loaded["INSTALLED_APPS"]


def test_a_channel_on_refuses_to_start_without_its_own_keys(load):
    assert refused(load, production(NOTICE_CHANNELS="sms,zalo")) == KEYS
    assert refused(load, production(NOTICE_CHANNELS="zalo")) == ["ZALO_OA_ACCESS_TOKEN"]
    sandbox_keys = {"SMS_API_KEY": "SANDBOX-SMS-APIKEY-KONTUM", "SMS_SECRET_KEY": "SANDBOX-SMS-SECRET-KONTUM"}
    assert refused(load, production(NOTICE_CHANNELS="sms", **sandbox_keys)) == KEYS[:2]
    own = {"SMS_API_KEY": "k" * 32, "SMS_SECRET_KEY": "s" * 32, "ZALO_OA_ACCESS_TOKEN": "t" * 40}
    assert refused(load, production(NOTICE_CHANNELS="sms,zalo", **own)) == []


@pytest.mark.parametrize(("name", "check"), [("SMS_SANDBOX", "portal.W004"), ("ZALO_SANDBOX", "portal.W005")])
def test_deploy_check_warns_about_a_notice_sandbox(tmp_path, name, check):
    warned = manage(tmp_path, production(**{name: "1"}), "check", "--deploy", "--fail-level", "WARNING")
    assert warned.returncode != 0 and f"({check}) {name} is on" in warned.stderr


@pytest.mark.parametrize(("env", "routed"), [
    (production(), []),
    (production(SMS_SANDBOX="1"), ["/sandbox/sms/"]),
    (production(ZALO_SANDBOX="1"), ["/sandbox/zalo/"]),
    ({"DJANGO_DEBUG": "1"}, ["/sandbox/sms/", "/sandbox/zalo/"]),
], ids=["production", "sms", "zalo", "development"])
def test_the_sandboxes_are_routed_only_by_their_own_setting(tmp_path, env, routed):
    code = ("import django; django.setup(); from django.urls import Resolver404, resolve\n"
            "for path in ('/sandbox/sms/', '/sandbox/zalo/'):\n"
            "    try:\n        resolve(path); print(path)\n    except Resolver404:\n        pass\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], "PORTAL_VAR_DIR": str(tmp_path / "var"),
                               "DJANGO_SETTINGS_MODULE": "portal.settings", **env})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == routed
