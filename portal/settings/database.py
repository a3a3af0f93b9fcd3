"""The database, the caches, and the sessions kept in them."""

from pathlib import Path

from .base import VAR_DIR, env

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that looks at the socket before it asks the server (portal/db).
    DATABASES["default"]["ENGINE"] = "portal.db.postgresql"
    # Sequential scans from the table's start: a scan of a large table may otherwise begin where another is
    # reading (synchronize_seqscans), and the first rows of a search (LIMIT without ORDER BY,
    # procedures.selectors.search._candidates_sql) changed from one request to the next at 100 000 procedures.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c synchronize_seqscans=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several requests and the in-process tasks share one file: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # A file, not memory, so that a worker or server started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default=str(VAR_DIR / "test-db.sqlite3"))}
# A password left as in .env.example is refused with the secrets (security.unsafe_defaults).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _degrading(config: dict) -> dict:
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # The same cache, answering a miss instead of an error while Redis is down (portal/cache.py).
        config["BACKEND"] = "portal.cache.RedisCache"
    return config


CACHES = {"default": _degrading(env.cache("CACHE_URL", default="locmemcache://portal"))}
# Each process's own memory, for what is keyed by the catalogue's version and never changes under it (the
# catalogue's filter lists, its rendered rows): read without a round trip to Redis, which on a busy machine waits
# for a context switch each time. A change of the catalogue changes the keys, so no process serves an old copy.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-local",
                   "OPTIONS": {"MAX_ENTRIES": 20_000}}
# Rate-limit counters (common/ratelimit.py) on a server that never evicts (docker-compose.yml: the broker's Redis):
# on the cache's own server, which evicts under its memory limit, filling the cache with pages could drop a slow
# attacker's counter and open a fresh window. Without LIMITS_CACHE_URL the counters share the default cache.
if env.str("LIMITS_CACHE_URL", default=""):
    CACHES["limits"] = _degrading(env.cache("LIMITS_CACHE_URL"))
# One cache seen by every process (gunicorn's workers, Celery's): what one process forgets, all forget.
CACHE_SHARED = CACHES["default"]["BACKEND"] == "portal.cache.RedisCache"
# A citizen's own pages kept in the cache (dossiers/citizen_pages.py): only on a shared cache, where a write made
# by any process reaches the cached pages of all.
CITIZEN_PAGES_CACHED = env.bool("CITIZEN_PAGES_CACHED", default=CACHE_SHARED)
# The signed-in user read from the cache on each request, forgotten on every write to the row (accounts/user_cache.py):
# only on a shared cache, for the same reason.
USERS_CACHED = env.bool("USERS_CACHED", default=CACHE_SHARED)

# Sessions read from the cache and written through to the database (a logged-in page costs no session query, a
# session outlives a flushed cache), when the cache is Redis: one cache for all the processes, so a logout is seen by
# every worker at once. A local-memory cache belongs to one process: there sessions stay in the database alone.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if CACHE_SHARED else "db")
