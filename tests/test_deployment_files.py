"""docker-compose.yml, the Dockerfile and .env.example agree with what the settings read."""

import re
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent


def settings_variables() -> set[str]:
    source = "\n".join(path.read_text() for path in sorted((ROOT / "portal" / "settings").glob("*.py")))
    return set(re.findall(r"""(?:env(?:\(\))?\.\w+|env_secret)\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_settings_read_variables_at_all():
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME"} <= settings_variables()


def test_every_variable_the_settings_read_is_documented():
    missing = settings_variables() - set(env_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_compose_has_the_services_of_the_stack():
    services = compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "cache", "minio", "mailpit"} <= set(services)
    for name in ("web", "worker", "beat"):
        assert services[name]["image"] == services["web"]["image"], "one image for web, worker and beat"
        assert services[name]["env_file"] == ".env"
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert "celery" in " ".join(services["worker"]["command"]) and "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "postgres", "redis", "cache", "minio"):
        assert "healthcheck" in services[name], f"{name} needs a health check"


def test_the_services_the_settings_point_at_exist_in_compose():
    services = set(compose()["services"])
    example = env_example()
    for key in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "AWS_S3_ENDPOINT_URL"):
        host = urlparse(example[key]).hostname
        assert host in services, f"{key} points at {host}, which docker-compose.yml does not define"


def test_production_example_is_not_debug_and_keeps_files_private():
    example = env_example()
    assert example["DJANGO_DEBUG"] == "0"
    assert example["AWS_STORAGE_BUCKET_NAME"]
    assert "set none" in (ROOT / "docker-compose.yml").read_text()  # the bucket has no public policy


def _redis_options(service: dict) -> dict[str, str]:
    command = service["command"]
    assert command[0] == "redis-server"
    return {flag[2:]: value for flag, value in zip(command[1::2], command[2::2])}


def test_the_cache_has_a_memory_limit_and_the_broker_never_drops_a_task():
    services = compose()["services"]
    example = env_example()
    cache_host = urlparse(example["CACHE_URL"]).hostname
    broker_host = urlparse(example["CELERY_BROKER_URL"]).hostname
    assert cache_host != broker_host, "what visitors fill (the cache) must not share memory with the tasks"
    cache = _redis_options(services[cache_host])
    assert cache["maxmemory"] and cache["maxmemory-policy"].endswith("-lru")
    assert cache["appendonly"] == "no" and cache["save"] == ""
    broker = _redis_options(services[broker_host])
    assert broker.get("maxmemory-policy", "noeviction") == "noeviction" and broker["appendonly"] == "yes"
    assert "CACHE_MAXMEMORY" in example


def test_rate_limit_counters_are_on_a_server_that_never_evicts():
    services = compose()["services"]
    example = env_example()
    limits = urlparse(example["LIMITS_CACHE_URL"])
    broker = urlparse(example["CELERY_BROKER_URL"])
    options = _redis_options(services[limits.hostname])
    assert options.get("maxmemory-policy", "noeviction") == "noeviction"
    assert (limits.hostname, limits.path) != (broker.hostname, broker.path), "the tasks' database is Celery's alone"



HAPROXY = "/usr/sbin/haproxy"
# The rules the cluster test proves (bench/cluster.py: a node killed, a rolling restart) and production ships.
BALANCER_RULES = [
    "option redispatch 1",
    "retry-on conn-failure empty-response junk-response",
    "http-request set-header X-Forwarded-For %[src]",
    "http-request set-header X-Forwarded-Proto https if { ssl_fc }",
    "http-request disable-l7-retry if !METH_GET !METH_HEAD",
    "balance roundrobin",
    "option httpchk",
    "http-check expect status 200",
]


def test_compose_puts_haproxy_in_front_of_several_stateless_web_nodes():
    services = compose()["services"]
    balancer = services["haproxy"]
    assert "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in balancer["volumes"]
    assert balancer["ports"] and "ports" not in services["web"], "only the balancer is reachable from outside"
    assert services["web"]["deploy"]["replicas"] >= 2
    assert services["beat"]["deploy"]["replicas"] == 1, "a second beat would queue every periodic task twice"
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_the_shipped_balancer_config_is_valid_and_has_the_rules_the_cluster_test_proves():
    from tests.conftest import need_service

    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    lines = {line.strip() for line in config.splitlines()}
    assert not [rule for rule in BALANCER_RULES if rule not in lines]
    assert any(line.startswith("http-check send meth GET uri /healthz") for line in lines)
    need_service("haproxy", Path(HAPROXY).exists(), "apt install haproxy")
    import subprocess

    check = subprocess.run([HAPROXY, "-c", "-f", str(ROOT / "deploy" / "haproxy.cfg")], capture_output=True,
                           text=True, env={"PORTAL_HOST": "dichvucong.kontum.gov.vn"})
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_cluster_test_runs_the_shipped_rules():
    import sys

    sys.path.append(str(ROOT / "bench"))  # appended: bench/public.py must not shadow the package `public`
    from cluster_stack import haproxy_config

    generated = {line.strip() for line in haproxy_config(port=1, nodes=[], stats_socket=Path("/tmp/x")).splitlines()}
    assert not [rule for rule in BALANCER_RULES if rule not in generated]


def test_the_web_nodes_liveness_probe_answers_under_production_hosts(client, settings, db):
    """compose's probe of a web container: /livez with the Host of PORTAL_HOST (one of DJANGO_ALLOWED_HOSTS); with
    Host 127.0.0.1, as it was, production answered 400 and the container was restarted for ever."""
    web = compose()["services"]["web"]
    probe = web["healthcheck"]["test"][1]
    host = web["environment"]["PORTAL_HOST"].split(":-", 1)[1].rstrip("}")
    assert "/livez" in probe and '"Host: $${PORTAL_HOST}"' in probe
    settings.ALLOWED_HOSTS = [host]
    assert client.get("/livez", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/livez", HTTP_HOST="127.0.0.1").status_code == 400


def test_the_image_runs_gunicorn_with_the_metrics_hooks_and_one_log_line_a_request():
    command = (ROOT / "Dockerfile").read_text().split("\nCMD ", 1)[1]
    assert "-c python:portal.gunicorn_hooks" in command and "--access-logfile" not in command
    assert compose()["services"]["web"]["environment"]["PROMETHEUS_MULTIPROC_DIR"]
