"""The signed-in user read from the cache, not the database, on each request (settings.USERS_CACHED, on with Redis).

Every signed-in request loads its user (AuthenticationMiddleware, through the backend's `get_user`): a query that was
the largest cost of a citizen's page served from the cache (issue 27 §1). The row is kept in the cache with the
user's stamp, a random value kept beside it that every write to the row forgets (a save, a delete, an UPDATE through
the manager: User.save and User.delete, managers.UserQuerySet), at once and again when the transaction commits. A kept row is
used only while the stamp it was kept with is still the user's stamp; both are read in one round trip.

So what a request sees is what the database holds, with no window: a reader that read the row before a write
committed kept it under a stamp the commit forgot. A new password still ends the other sessions (Django compares the
session's hash with the user's password), a deactivated account is refused at once.

Only on a cache every process shares: with a local-memory cache a write made by another process (a gunicorn worker, a
Celery task) would not reach this one's copy. When the cache does not answer, the user is read from the database.
"""

import zlib
from functools import cache as once

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from common.stamps import stamp_forget, stamp_get_or_make

ROW_SECONDS = 3600
STAMP_SECONDS = 24 * 3600


@once
def _mark() -> str:
    """The user model's fields and Django's version, in short: a deployment that changes either never reads the rows
    the old code kept."""
    fields = ",".join(f.attname for f in get_user_model()._meta.concrete_fields)
    return f"{zlib.crc32(f'{django.__version__}|{fields}'.encode()):08x}"


def _stamp_key(pk) -> str:
    return f"accounts:user:{pk}:stamp"


def user_get_cached(*, pk):
    """Return the user with this primary key, or None: from the cache when it holds the row, else the database."""
    User = get_user_model()
    if not settings.USERS_CACHED:
        return User._default_manager.filter(pk=pk).first()
    stamp_key, row_key = _stamp_key(pk), f"accounts:user:{pk}:{_mark()}"
    kept = cache.get_many([stamp_key, row_key])
    stamp, row = kept.get(stamp_key), kept.get(row_key)
    if stamp is not None and isinstance(row, tuple) and row[0] == stamp:
        return row[1]
    stamp = stamp or stamp_get_or_make(stamp_key, STAMP_SECONDS)  # before the read: a write committed after it forgets this stamp
    user = User._default_manager.filter(pk=pk).first()
    if user is not None and stamp is not None:
        cache.set(row_key, (stamp, user), ROW_SECONDS)
    return user


def user_cache_forget(pk) -> None:
    """Forget the user's stamp: now, and again once the current transaction commits."""
    if pk is None or not settings.USERS_CACHED:
        return
    stamp_forget(_stamp_key(pk))
