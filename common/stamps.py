"""Stamps: a random value kept in the cache under a key, forgotten by every write to what it stands for.

What is kept under a stamp (a citizen's rendered pages, a signed-in user's row) carries the stamp it was made under and
is used only while that is still the stamp. A write forgets the stamp at once and again when its transaction commits:
whatever a reader read before the commit was kept under a stamp that no longer exists, so it is never used.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def stamp_get_or_make(key: str, seconds: int) -> str | None:
    """The stamp kept under `key`, made when there is none; None when the cache does not answer."""
    cache.add(key, uuid.uuid4().hex, seconds)
    return cache.get(key)


def stamp_forget(key: str) -> None:
    """Forget the stamp under `key`: now, and again when the current transaction commits."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
