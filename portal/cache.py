"""The Redis cache, made optional: when Redis is unreachable the portal works on without a cache.

Nothing the portal keeps in the cache is the only copy of anything (catalogue filter lists, rate-limit
counters, the health check's probe), so an outage costs speed and rate limits, never a page. Each failed
call is logged and answered as a cache miss.
"""

import logging

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _degrade(method, fallback):
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as exc:
            logger.warning("cache unavailable, %s skipped: %s", method.__name__, exc)
            return fallback(*args, **kwargs)

    call.__name__ = method.__name__
    call.__doc__ = method.__doc__
    return call


def _missing(*args, **kwargs):
    raise ValueError("Key not found (cache unavailable)")


class ReusedClient(RedisCacheClient):
    """Django's client, keeping one redis.Redis per connection pool instead of building one per call.

    Building a redis.Redis fills its table of response callbacks (~170 µs with redis-py 8), twice the time
    of the GET it is built for: on a page served from the cache it was the largest cost after the network.
    A redis.Redis is safe to share between threads: each command takes a connection from the pool.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """django.core.cache.backends.redis.RedisCache that answers a miss when Redis does not answer."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A Redis that stopped answering must not hold a request for long.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, params)
        self._class = ReusedClient

    get = _degrade(DjangoRedisCache.get, lambda key, default=None, version=None: default)
    get_many = _degrade(DjangoRedisCache.get_many, lambda *a, **k: {})
    has_key = _degrade(DjangoRedisCache.has_key, lambda *a, **k: False)
    add = _degrade(DjangoRedisCache.add, lambda *a, **k: False)
    set = _degrade(DjangoRedisCache.set, lambda *a, **k: None)
    set_many = _degrade(DjangoRedisCache.set_many, lambda data, *a, **k: list(data))
    touch = _degrade(DjangoRedisCache.touch, lambda *a, **k: False)
    delete = _degrade(DjangoRedisCache.delete, lambda *a, **k: False)
    delete_many = _degrade(DjangoRedisCache.delete_many, lambda *a, **k: None)
    incr = _degrade(DjangoRedisCache.incr, _missing)
    clear = _degrade(DjangoRedisCache.clear, lambda *a, **k: False)
