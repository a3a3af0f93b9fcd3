"""Rate-limit counters: in the "limits" cache when settings name one (LIMITS_CACHE_URL), else in the default."""

from django.core.cache import cache, caches

from common.ratelimit import rate_allow, rate_hit, rate_seen


def test_counters_are_in_the_default_cache_without_a_limits_cache(settings):
    assert "limits" not in settings.CACHES
    assert [rate_hit("limit:a", window=60) for _ in range(3)] == [1, 2, 3]
    assert cache.get("limit:a") == 3 and rate_seen("limit:a") == 3


def test_counters_are_in_the_limits_cache_when_there_is_one(settings):
    settings.CACHES = {**settings.CACHES,
                       "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"}}
    caches["limits"].clear()
    assert [rate_allow("limit:b", limit=2, window=60) for _ in range(3)] == [True, True, False]
    assert caches["limits"].get("limit:b") == 3 and rate_seen("limit:b") == 3
    assert cache.get("limit:b") is None  # a flood of the default cache cannot reach it
    cache.clear()
    assert rate_seen("limit:b") == 3
