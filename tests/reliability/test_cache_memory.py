"""The cache's Redis as docker-compose.yml runs it: full, it evicts kept pages, never a rate-limit counter (those
are on the broker's Redis, which never evicts); the catalogue's version is in the database (procedures.versioning).

What anonymous visitors make the cache hold grows with what they ask for (common/page_cache.py); the cache
server's memory limit is the bound. Here the compose file's own command line runs with a small limit.
"""

import os

import pytest
import redis
import yaml
from django.test import Client

from procedures.selectors import catalogue_version
from procedures.services import catalogue_changed
from tests.conftest import free_port, need_service
from tests.factories.dossiers import Builder
from tests.support.redis_server import REDIS_SERVER, RedisServer
from tests.test_deployment_files import ROOT

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.django_db]

LIMIT_MB = 4


def _compose_command(service: str) -> list[str]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][service]["command"]


@pytest.fixture
def compose_broker(tmp_path):
    """The broker's Redis with the compose file's options (its append-only file in the test's folder)."""
    need_service("redis-server", os.path.exists(REDIS_SERVER), "install redis-server")
    server = RedisServer(port=free_port(), log_path=tmp_path / "broker.log",
                         options=(*_compose_command("redis")[1:], "--dir", str(tmp_path)))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _flood(cache) -> tuple[int, bytes]:
    """Fill the cache as a flood of distinct addresses would, four times what its server may hold; return the
    last key's number and the page stored under each."""
    page = b"<html>" + os.urandom(16 * 1024).hex().encode() + b"</html>"  # 32 KB, as a procedure page
    for n in range(4 * LIMIT_MB * 1024 // 32):
        cache.set(f"page:flood-{n}", page, 300)
    return n, page


@pytest.fixture
def compose_cache(tmp_path, settings):
    need_service("redis-server", os.path.exists(REDIS_SERVER), "install redis-server")
    options = [arg.replace("${CACHE_MAXMEMORY:-512mb}", f"{LIMIT_MB}mb") for arg in _compose_command("cache")[1:]]
    server = RedisServer(port=free_port(), log_path=tmp_path / "cache.log", options=tuple(options))
    server.start()
    settings.CACHES = {**settings.CACHES,
                       "default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": server.url(0)}}
    try:
        yield server
    finally:
        server.stop()


def test_a_full_cache_drops_old_pages_and_keeps_the_catalogue_version(compose_cache):
    from django.core.cache import cache

    Builder().procedure()
    catalogue_changed()
    version = catalogue_version()
    assert Client().get("/")["X-Page-Cache"] == "miss"
    n, page = _flood(cache)

    client = redis.Redis.from_url(compose_cache.url(0))
    try:
        info = client.info("memory")
        assert info["used_memory"] <= (LIMIT_MB + 1) * 1024 * 1024
        assert client.info("stats")["evicted_keys"] > 0
    finally:
        client.close()
    assert catalogue_version() == version  # not in the cache: no kept page comes back stale
    assert cache.get("page:flood-0") is None and cache.get(f"page:flood-{n}") == page  # the oldest went first
    # The portal goes on: pages are kept and served again.
    assert Client().get("/")["X-Page-Cache"] in ("hit", "miss")
    assert Client().get("/")["X-Page-Cache"] == "hit"


def test_a_full_cache_leaves_the_rate_limit_counters_alone(compose_cache, compose_broker, settings):
    """A slow attacker's counter is the cache's least recently used key: on the cache's server a flood of pages
    evicts it and opens a fresh window; on the broker's Redis (LIMITS_CACHE_URL, .env.example) it stays."""
    from django.core.cache import cache

    from common.ratelimit import rate_hit, rate_seen

    assert rate_hit("limit:on-the-cache", window=900) == 1  # no limits cache yet: the counter is in the cache
    settings.CACHES = {**settings.CACHES,
                       "limits": {"BACKEND": "portal.cache.RedisCache", "LOCATION": compose_broker.url(1)}}
    for expected in (1, 2, 3):
        assert rate_hit("limit:slow-attacker", window=900) == expected

    _flood(cache)

    assert cache.get("limit:on-the-cache") is None  # what the cache's own server does to a counter
    assert rate_seen("limit:slow-attacker") == 3
    assert rate_hit("limit:slow-attacker", window=900) == 4
    client = redis.Redis.from_url(compose_broker.url(0))
    try:
        assert client.info("stats")["evicted_keys"] == 0
        assert client.dbsize() == 0  # database 0 is the tasks' alone
    finally:
        client.close()

