"""The cache's Redis as docker-compose.yml runs it: full, it evicts kept pages, never the catalogue's version.

What anonymous visitors make the cache hold grows with what they ask for (common/page_cache.py); the cache
server's memory limit is the bound. Here the compose file's own command line runs with a small limit.
"""

import os

import pytest
import redis
import yaml
from django.test import Client

from procedures.selectors import CATALOGUE_VERSION, catalogue_changed, catalogue_version
from tests.conftest import free_port, need_service
from tests.factories.dossiers import Builder
from tests.support.redis_server import REDIS_SERVER, RedisServer
from tests.test_deployment_files import ROOT

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.django_db]

LIMIT_MB = 4


@pytest.fixture
def compose_cache(tmp_path, settings):
    need_service("redis-server", os.path.exists(REDIS_SERVER), "install redis-server")
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["cache"]["command"]
    options = [arg.replace("${CACHE_MAXMEMORY:-512mb}", f"{LIMIT_MB}mb") for arg in command[1:]]
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
    page = b"<html>" + os.urandom(16 * 1024).hex().encode() + b"</html>"  # 32 KB, as a procedure page
    for n in range(4 * LIMIT_MB * 1024 // 32):  # four times what the server may hold
        cache.set(f"page:flood-{n}", page, 300)  # what a flood of distinct addresses would store

    client = redis.Redis.from_url(compose_cache.url(0))
    try:
        info = client.info("memory")
        assert info["used_memory"] <= (LIMIT_MB + 1) * 1024 * 1024
        assert client.info("stats")["evicted_keys"] > 0
    finally:
        client.close()
    assert cache.get(CATALOGUE_VERSION) == version  # no expiry: never evicted, no kept page comes back stale
    assert cache.get("page:flood-0") is None and cache.get(f"page:flood-{n}") == page  # the oldest went first
    # The portal goes on: pages are kept and served again.
    assert Client().get("/")["X-Page-Cache"] in ("hit", "miss")
    assert Client().get("/")["X-Page-Cache"] == "hit"
