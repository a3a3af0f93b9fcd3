"""The Redis cache answers a miss, not an error, while Redis is unreachable (portal/cache.py)."""

import logging

import pytest

from portal.cache import RedisCache
from tests.conftest import free_port


@pytest.fixture
def unreachable():
    """A real Redis client pointed at a loopback port nobody listens on."""
    return RedisCache(f"redis://127.0.0.1:{free_port()}/0", {})


def test_reads_miss_and_writes_are_dropped_when_redis_is_unreachable(unreachable, caplog):
    caplog.set_level(logging.WARNING, logger="portal.cache")
    assert unreachable.get("k", "default") == "default"
    assert unreachable.get_or_set("catalogue:version", 1, None) == 1
    assert unreachable.add("k", 0) is False
    assert unreachable.set("k", 1) is None
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable.has_key("k") is False
    assert unreachable.delete("k") is False
    with pytest.raises(ValueError):  # what callers already handle as "not counted yet"
        unreachable.incr("k")
    assert "cache unavailable, get skipped" in caplog.text


def test_production_cache_url_gets_the_tolerant_backend():
    """CACHE_URL=rediscache://… (.env.example) gives this backend, not Django's plain one."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "CACHE_URL": "rediscache://127.0.0.1:6379/1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    code = "import django; django.setup(); from django.core.cache import caches; print(type(caches['default']).__module__)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "portal.cache", out.stderr[-2000:]


def test_the_cache_works_normally_when_redis_answers(redis_url):
    cache = RedisCache(redis_url, {})
    cache.set("k", 41)
    assert cache.incr("k") == 42 and cache.get("k") == 42
    cache.delete("k")


def test_one_redis_client_serves_every_call(redis_url):
    """Django builds a redis.Redis for each call; ours keeps one per connection pool, and it works."""
    cache = RedisCache(redis_url, {})
    cache.set("k", "v")
    assert cache.get("k") == "v"
    assert cache._cache.get_client("k") is cache._cache.get_client("other")
    assert cache._cache.get_client("k", write=True) is cache._cache.get_client("k")  # one server: one pool
    assert cache.get_many(["k", "missing"]) == {"k": "v"}


@pytest.mark.parametrize("cache_url, engine, kept", [
    ("rediscache://127.0.0.1:6379/1", "cached_db", "True"),
    ("", "db", "False"),  # local memory: one process's, not every worker's
])
def test_sessions_users_and_citizen_pages_use_the_cache_only_when_every_process_shares_it(cache_url, engine, kept):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    if not cache_url:
        del env["CACHE_URL"]
    env.pop("CITIZEN_PAGES_CACHED", None)
    env.pop("USERS_CACHED", None)
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_ENGINE.rsplit('.', 1)[1], s.CITIZEN_PAGES_CACHED, s.USERS_CACHED)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split()[-3:] == [engine, kept, kept], out.stderr[-2000:]
