"""The cache's Redis as docker-compose.yml runs it: full, it evicts kept pages, never a rate-limit counter (those
are on the broker's Redis, which never evicts); the catalogue's version is in the database (procedures.versioning).

What anonymous visitors make the cache hold grows with what they ask for (common/page_cache.py); the cache
server's memory limit is the bound. Here the compose file's own command line runs with a small limit.
"""

import os
import time

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


def _flood(cache, start: int = 0, pages: int = 4 * LIMIT_MB * 1024 // 32) -> tuple[range, bytes]:
    """Fill the cache as a flood of distinct addresses would (by default four times what its server may hold);
    return the keys' numbers and the page stored under each."""
    page = b"<html>" + os.urandom(16 * 1024).hex().encode() + b"</html>"  # 32 KB, as a procedure page
    numbers = range(start, start + pages)
    for n in numbers:
        cache.set(f"page:flood-{n}", page, 300)
    return numbers, page


def _next_lru_tick():
    """Redis dates a key's last use to the second (its LRU clock): keys written within one second are equally old
    to it, and which of them goes first is chance. Waiting past the tick makes the next keys younger."""
    time.sleep(1.2)


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
    oldest, _ = _flood(cache, pages=LIMIT_MB * 1024 // 32)  # what the server may hold, then three times more
    _next_lru_tick()
    middle, _ = _flood(cache, start=oldest.stop, pages=3 * LIMIT_MB * 1024 // 32)
    _next_lru_tick()
    newest, page = _flood(cache, start=middle.stop, pages=8)

    client = redis.Redis.from_url(compose_cache.url(0))
    try:
        info = client.info("memory")
        assert info["used_memory"] <= (LIMIT_MB + 1) * 1024 * 1024
        assert client.info("stats")["evicted_keys"] > 0
    finally:
        client.close()
    assert catalogue_version() == version  # not in the cache: no kept page comes back stale
    # The oldest went first (Redis's LRU is sampled: nearly all, not necessarily every one), the newest stay.
    kept_oldest = sum(cache.get(f"page:flood-{n}") is not None for n in oldest)
    assert kept_oldest <= len(oldest) // 10, f"{kept_oldest} of the {len(oldest)} oldest pages kept"
    assert all(cache.get(f"page:flood-{n}") == page for n in newest)
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

