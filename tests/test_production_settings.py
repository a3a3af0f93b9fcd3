"""Production refuses unsafe defaults, and runs without the development stand-ins unless each is asked for.

With DJANGO_DEBUG off, the portal refuses to start (portal.startup: the WSGI application, a Celery worker or beat)
while a secret is unset, still holds its development value or an .env.example placeholder, naming every such variable
at once; `manage.py check --deploy` fails with that message (portal.E001). Commands that serve nothing
(makemigrations --check) run with nothing set. The payment sandbox, the demo app and the bench ping are installed and routed only by their own setting,
and `check --deploy` warns about each one that is on (portal/checks.py). The settings are read in this process with
a controlled environment (fast, one case per variable and per kind of bad value) and, for the commands CI and an
operator run, in a subprocess.
"""

import importlib
import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.conftest import ROOT
from tests.test_deployment_files import settings_variables

# The variables production must set itself (.env.example and README list them too).
REQUIRED = ("DJANGO_SECRET_KEY", "VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "MOMO_PARTNER_CODE", "MOMO_ACCESS_KEY",
            "MOMO_SECRET_KEY")
STAND_INS = {"PAYMENT_SANDBOX": "portal.W001", "DEMO_MODE": "portal.W002", "BENCH_ENDPOINTS": "portal.W003",
             "NATIONAL_IDP_SANDBOX": "portal.W006"}
STAND_IN_PATHS = ("/sandbox/", "/tai-khoan/hop-thu/", "/bench/ping/", "/sandbox/idp/.well-known/openid-configuration")
STAND_IN_APPS = {"sandbox", "demo", "sandbox_idp", "oauth2_provider"}


def production(**changes: str | None) -> dict[str, str]:
    """A production-like environment, every secret made up for this run; None in `changes` removes a variable."""
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "dichvucong.kontum.gov.vn",
        "VNPAY_TMN_CODE": "KTPROD01",
        "VNPAY_HASH_SECRET": secrets.token_urlsafe(32),
        "MOMO_PARTNER_CODE": "MOMOKT01",
        "MOMO_ACCESS_KEY": secrets.token_urlsafe(12),
        "MOMO_SECRET_KEY": secrets.token_urlsafe(24),
    }
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


@pytest.fixture
def load(monkeypatch, tmp_path):
    """Evaluate the settings package afresh with exactly the given variables (none of the test run's own)."""

    def load(env: dict[str, str]) -> dict:
        """The settings as the WSGI application or a worker loads them at start, refusing what it refuses."""
        from portal.startup import refuse_to_start_on_unsafe_defaults

        for name in settings_variables() | set(STAND_INS):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path / "var"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        loaded = fresh_settings()
        refuse_to_start_on_unsafe_defaults(loaded["UNSAFE_DEFAULTS"])
        return loaded

    return load


def fresh_settings() -> dict:
    """portal.settings and its concerns imported anew (none of them from sys.modules); the loaded ones put back."""
    import portal

    def ours(name: str) -> bool:
        return name == "portal.settings" or name.startswith("portal.settings.")

    loaded = {name: module for name, module in sys.modules.items() if ours(name)}
    for name in loaded:
        del sys.modules[name]
    try:
        return dict(vars(importlib.import_module("portal.settings")))
    finally:
        for name in [name for name in sys.modules if ours(name)]:
            del sys.modules[name]
        sys.modules.update(loaded)
        if "portal.settings" in loaded:
            portal.settings = loaded["portal.settings"]


def refused(load, env: dict[str, str]) -> list[str]:
    """The variables the settings name when they refuse `env` ([] when they load)."""
    try:
        load(env)
    except ImproperlyConfigured as refusal:
        return re.search(r"value: (.+?)\. Set each", str(refusal)).group(1).split(", ")
    return []


@pytest.fixture(scope="module")
def development_values() -> dict[str, str]:
    """What the settings give each required variable with DEBUG on and nothing set."""
    env = {"PATH": os.environ["PATH"], "DJANGO_DEBUG": "1"}
    code = "import json, portal.settings as s; print(json.dumps({n: getattr(s, n) for n in %r}))" % (
        ["SECRET_KEY", *REQUIRED[1:]],)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    values = json.loads(out.stdout)
    values["DJANGO_SECRET_KEY"] = values.pop("SECRET_KEY")
    return values


def test_production_values_load_without_any_stand_in(load):
    loaded = load(production())
    assert not (loaded["PAYMENT_SANDBOX"] or loaded["DEMO_MODE"] or loaded["BENCH_ENDPOINTS"])
    assert not (loaded["NATIONAL_IDP_SANDBOX"] or loaded["NATIONAL_LOGIN_ENABLED"])
    assert not STAND_IN_APPS & set(loaded["INSTALLED_APPS"])  # nor django-oauth-toolkit, the sandbox provider's
    assert not [p for p in loaded["TEMPLATES"][0]["OPTIONS"]["context_processors"] if p.startswith("demo.")]


@pytest.mark.parametrize("name", REQUIRED)
@pytest.mark.parametrize("how", ["unset", "empty", "development value", "placeholder"])
def test_each_secret_is_refused_by_name(load, development_values, name, how):
    value = {"unset": None, "empty": "", "development value": development_values[name],
             "placeholder": "change-me"}[how]
    assert refused(load, production(**{name: value})) == [name]


def test_every_missing_secret_is_named_at_once(load):
    assert refused(load, {"DJANGO_DEBUG": "0"}) == list(REQUIRED)
    assert refused(load, {}) == list(REQUIRED)  # DEBUG is off unless set


def test_the_example_file_is_refused_until_its_placeholders_are_replaced(load):
    from tests.test_deployment_files import env_example

    example = {key: value for key, value in env_example().items() if value}
    assert sorted(refused(load, example)) == sorted([*REQUIRED, "AWS_SECRET_ACCESS_KEY", "DATABASE_URL"])


@pytest.mark.parametrize(("storage", "named"), [
    ({"AWS_ACCESS_KEY_ID": "portal", "AWS_SECRET_ACCESS_KEY": "change-me-minio-secret"}, ["AWS_SECRET_ACCESS_KEY"]),
    ({"AWS_ACCESS_KEY_ID": "portal"}, ["AWS_SECRET_ACCESS_KEY"]),
    ({"AWS_ACCESS_KEY_ID": "portal", "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(24)}, []),
    ({}, []),  # no keys: boto3's own credentials (an instance role)
])
def test_the_storage_keys_of_a_bucket(load, storage, named):
    assert refused(load, production(AWS_STORAGE_BUCKET_NAME="portal-private", **storage)) == named


def test_a_database_password_left_as_in_the_example_is_refused(load):
    example = "postgres://portal:change-me@postgres:5432/portal"
    assert refused(load, production(DATABASE_URL=example)) == ["DATABASE_URL"]
    assert refused(load, production(DATABASE_URL="postgres://portal:Xk2v9q@postgres:5432/portal")) == []


def test_development_keeps_its_defaults_and_stand_ins(load, development_values):
    loaded = load({"DJANGO_DEBUG": "1"})
    assert loaded["SECRET_KEY"] == development_values["DJANGO_SECRET_KEY"]
    assert loaded["MOMO_SECRET_KEY"] == development_values["MOMO_SECRET_KEY"]
    assert STAND_IN_APPS <= set(loaded["INSTALLED_APPS"]) and not loaded["BENCH_ENDPOINTS"]


@pytest.mark.parametrize(("name", "apps", "mailbox_link"), [
    ("PAYMENT_SANDBOX", {"sandbox"}, False),
    ("DEMO_MODE", {"demo"}, True),
    ("BENCH_ENDPOINTS", {"demo"}, False),  # the benchmarks load their catalogue with demo's generate_procedures
    ("NATIONAL_IDP_SANDBOX", {"sandbox_idp", "oauth2_provider"}, False),
])
def test_each_stand_in_is_installed_by_its_own_setting(load, name, apps, mailbox_link):
    extra = {"NATIONAL_IDP_CLIENT_SECRET": secrets.token_urlsafe(24)} if name == "NATIONAL_IDP_SANDBOX" else {}
    loaded = load(production(**{name: "1"}, **extra))
    assert STAND_IN_APPS & set(loaded["INSTALLED_APPS"]) == apps
    processors = loaded["TEMPLATES"][0]["OPTIONS"]["context_processors"]
    assert ("demo.context_processors.demo" in processors) is mailbox_link


# --- The commands, as CI and an operator run them -----------------------------------------------------------------

def manage(tmp_path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """manage.py with only `env` (and PATH), its SQLite and files under tmp_path."""
    full = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PORTAL_VAR_DIR": str(tmp_path / "var"), **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=120)


def test_deploy_check_passes_with_production_values(tmp_path):
    done = manage(tmp_path, production(), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_deploy_check_fails_naming_every_missing_secret(tmp_path):
    done = manage(tmp_path, {"DJANGO_DEBUG": "0"}, "check", "--deploy")
    assert done.returncode != 0
    assert "(portal.E001)" in done.stderr and all(name in done.stderr for name in REQUIRED)


def test_production_with_nothing_set_refuses_to_start_but_checks_its_migrations(tmp_path):
    started = subprocess.run([sys.executable, "-c", "import portal.wsgi"], cwd=ROOT, capture_output=True, text=True,
                             env={"PATH": os.environ["PATH"], "PORTAL_VAR_DIR": str(tmp_path / "var")}, timeout=120)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr and all(name in started.stderr for name in REQUIRED)
    migrations = manage(tmp_path, {}, "makemigrations", "--check", "--dry-run")
    assert migrations.returncode == 0 and "No changes detected" in migrations.stdout, migrations.stderr


def test_a_worker_or_the_beat_refuses_to_start_on_the_repository_secrets(settings, tmp_path):
    from celery.beat import Service

    from portal.celery import RefuseUnsafeDefaults, app

    settings.UNSAFE_DEFAULTS = ["VNPAY_HASH_SECRET"]
    with pytest.raises(ImproperlyConfigured, match="VNPAY_HASH_SECRET"):
        app.WorkController(app=app, pool_cls="solo", without_mingle=True, without_gossip=True)
    with pytest.raises(ImproperlyConfigured, match="VNPAY_HASH_SECRET"):
        Service(app=app, scheduler_cls=app.conf.beat_scheduler, schedule_filename=str(tmp_path / "beat")).get_scheduler()
    settings.UNSAFE_DEFAULTS = []
    assert RefuseUnsafeDefaults in app.steps["worker"]
    Service(app=app, scheduler_cls=app.conf.beat_scheduler, schedule_filename=str(tmp_path / "beat")).get_scheduler().close()


def test_national_login_needs_its_own_client_secret_in_production(load):
    """Judged only where national login is on; the sandbox provider's own secret is refused like an unset one."""
    assert refused(load, production()) == []
    assert refused(load, production(NATIONAL_LOGIN_ENABLED="1")) == ["NATIONAL_IDP_CLIENT_SECRET"]
    sandbox_secret = load({"DJANGO_DEBUG": "1"})["NATIONAL_IDP_CLIENT_SECRET"]
    assert refused(load, production(NATIONAL_LOGIN_ENABLED="1", NATIONAL_IDP_CLIENT_SECRET=sandbox_secret)) == [
        "NATIONAL_IDP_CLIENT_SECRET"]
    assert refused(load, production(NATIONAL_LOGIN_ENABLED="1", NATIONAL_IDP_CLIENT_SECRET="change-me")) == [
        "NATIONAL_IDP_CLIENT_SECRET"]
    assert refused(load, production(NATIONAL_LOGIN_ENABLED="1", NATIONAL_IDP_CLIENT_SECRET=secrets.token_urlsafe(24),
                                    NATIONAL_IDP_SANDBOX="1")) == []


def test_deploy_check_refuses_the_sandbox_providers_secret(tmp_path):
    done = manage(tmp_path, production(NATIONAL_LOGIN_ENABLED="1", NATIONAL_IDP_SANDBOX="1",
                                       NATIONAL_IDP_CLIENT_SECRET="sandbox-idp-portal-secret-0123456789abcdef"),
                  "check", "--deploy")
    assert done.returncode != 0 and "(portal.E001)" in done.stderr and "NATIONAL_IDP_CLIENT_SECRET" in done.stderr


@pytest.mark.parametrize("name", STAND_INS)
def test_deploy_check_warns_about_a_stand_in_that_is_on(tmp_path, name):
    extra = {"NATIONAL_IDP_CLIENT_SECRET": secrets.token_urlsafe(24)} if name == "NATIONAL_IDP_SANDBOX" else {}
    warned = manage(tmp_path, production(**{name: "1"}, **extra), "check", "--deploy", "--fail-level", "WARNING")
    assert warned.returncode != 0
    assert f"({STAND_INS[name]}) {name} is on" in warned.stderr
    assert not [other for other, check in STAND_INS.items() if other != name and check in warned.stderr]


@pytest.mark.parametrize(("env", "routed"), [
    (production(), []),
    (production(PAYMENT_SANDBOX="1"), ["/sandbox/"]),
    (production(DEMO_MODE="1"), ["/tai-khoan/hop-thu/"]),
    (production(BENCH_ENDPOINTS="1"), ["/bench/ping/"]),
    (production(NATIONAL_IDP_SANDBOX="1", NATIONAL_IDP_CLIENT_SECRET="tests-secret-of-this-run"),
     ["/sandbox/idp/.well-known/openid-configuration"]),
    ({"DJANGO_DEBUG": "1"}, ["/sandbox/", "/tai-khoan/hop-thu/", "/sandbox/idp/.well-known/openid-configuration"]),
], ids=["production", "sandbox", "demo", "bench", "identity-provider", "development"])
def test_stand_ins_are_routed_only_by_their_own_setting(tmp_path, env, routed):
    code = ("import django; django.setup(); from django.urls import Resolver404, resolve\n"
            f"for path in {STAND_IN_PATHS!r}:\n"
            "    try:\n        resolve(path); print(path)\n    except Resolver404:\n        pass\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], "PORTAL_VAR_DIR": str(tmp_path / "var"),
                               "DJANGO_SETTINGS_MODULE": "portal.settings", **env})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == routed
