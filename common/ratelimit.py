"""Counting uses in a fixed window, in the cache (the one rate limiter of the portal).

The counters live in the "limits" cache when settings name one (LIMITS_CACHE_URL: a Redis that never evicts),
else in the default cache. When Redis is down (portal/cache.py answers misses) limits are not enforced rather
than refusing everyone.
"""

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache import caches


def _counters():
    return caches["limits"] if "limits" in settings.CACHES else default_cache


def rate_hit(key: str, *, window: int) -> int:
    """Count one use of `key` in its current window of `window` seconds; return the uses so far."""
    cache = _counters()
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr: a fresh window
        cache.set(key, 1, timeout=window)
        return 1


def rate_allow(key: str, *, limit: int, window: int) -> bool:
    """Count one use of `key`; False once more than `limit` uses fell in the window."""
    return rate_hit(key, window=window) <= limit


def rate_seen(key: str) -> int:
    """The uses of `key` counted in its current window, without counting one more."""
    return _counters().get(key, 0)
