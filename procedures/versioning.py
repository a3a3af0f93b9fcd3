"""The catalogue's version: one row in the database, moved in the transaction of every change of the catalogue.

Everything kept from the catalogue is kept under this version: whole pages (common.page_cache), the search's
vocabulary and synonyms (procedures.search), the rows each process keeps rendered (procedures.views), the filter
lists (procedures.selectors.catalogue.cached), a citizen's kept pages (dossiers.citizen_pages). A change moves the
version, and every process then serves pages made from the new rows.

Why a row and not a counter in the cache, as before: `make run` serves from a local-memory cache, each process its
own, so a bump made by a command-line import never reached the server (its pages stayed stale for as long as they
were kept, 30 minutes and more). Every process reads the same row, whatever its cache. And the row moves inside the
writing transaction: a rollback does not move it, and no other connection reads the new version before the rows it
stands for are committed, so no page is kept under the new version made from the old rows.

Reading it costs a query, so each process keeps the value it read for READ_SECONDS: a cached page costs no query,
and another process's change shows within about a second. The process that makes a change sees it at once: the
connection that wrote reads its own new version until the commit (for it, the new rows are already there), and the
commit makes the whole process read the row again.

A new version is the old one plus one, or the clock in microseconds when that is higher: it is never a number the
version held before, even after a rollback (that number was visible to the writing connection, which may have
kept something under it) or in a new database while the cache still holds pages of the old one.
"""

import threading
import time

from django.db import DatabaseError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from .models import CatalogueVersion

# How long a process serves the version it read before reading it again.
READ_SECONDS = 1.0
ROW = 1

_lock = threading.Lock()
_kept: tuple[int | None, float] = (None, 0.0)  # (version, when read: time.monotonic())
_last: int | None = None  # the last version read, for when the database does not answer
_forgotten = 0  # how many times the process forgot its copy (a read that straddles a forget is not kept)


def _clock() -> int:
    return time.time_ns() // 1000


class _Committed:
    """Run when the transaction that moved the version commits: the whole process reads the row again. While it
    waits in the connection's on-commit list, the bump is part of the open transaction; a rollback (of the
    transaction, or of the savepoint the bump was made in) takes it out of the list."""

    def __init__(self, value: int):
        self.value = value
        self.read = False  # something was made from the rows under this version: the next change moves it again

    def __call__(self):
        connection = transaction.get_connection()
        bumps = getattr(connection, "catalogue_bumps", None)
        if bumps and self in bumps:
            bumps.remove(self)
        forget()


def _pending(connection) -> _Committed | None:
    """This connection's own latest bump that its open transaction still holds."""
    bumps = getattr(connection, "catalogue_bumps", None)
    while bumps:
        bump = bumps[-1]
        # Django keeps the transaction's on-commit callbacks as (savepoint ids, callback, robust).
        if connection.in_atomic_block and any(entry[1] is bump for entry in connection.run_on_commit):
            return bump
        bumps.pop()  # rolled back with its savepoint or its transaction
    return None


def bump() -> int:
    """Move the version in the current transaction; return the new version.

    Once per transaction while nothing reads it: an import's thousands of rows, or an admin save with its inlines,
    move it once. Read in between (a page rendered inside the transaction), it moves again at the next change, so
    what was made from the rows before that change is not kept under the version of the rows after it.
    """
    connection = transaction.get_connection()
    pending = _pending(connection)
    if pending is not None and not pending.read:
        return pending.value
    rows = CatalogueVersion.objects.filter(pk=ROW)
    if not rows.update(value=Greatest(F("value") + 1, Value(_clock()))):
        CatalogueVersion.objects.get_or_create(pk=ROW, defaults={"value": _clock()})  # a flushed database
    committed = _Committed(rows.values_list("value", flat=True).get())
    if connection.in_atomic_block:
        if getattr(connection, "catalogue_bumps", None) is None:
            connection.catalogue_bumps = []
        connection.catalogue_bumps.append(committed)
    transaction.on_commit(committed)  # runs at once outside a transaction
    return committed.value


def read() -> int:
    """Return the version: this connection's own uncommitted one, else the process's copy when fresh, else the row."""
    global _kept, _last
    pending = _pending(transaction.get_connection())
    if pending is not None:
        pending.read = True
        return pending.value
    value, read_at = _kept
    now = time.monotonic()
    if value is not None and now - read_at < READ_SECONDS:
        return value
    forgotten = _forgotten
    try:
        value = CatalogueVersion.objects.filter(pk=ROW).values_list("value", flat=True).first()
    except DatabaseError:
        # The database does not answer: pages kept under the last version read are still served (a page that
        # needs the database fails by itself). Not inside a transaction, which the error has broken.
        if _last is None or transaction.get_connection().in_atomic_block:
            raise
        return _last
    if value is None:  # a flushed database (the tests' transactional ones)
        value = CatalogueVersion.objects.get_or_create(pk=ROW, defaults={"value": _clock()})[0].value
    _last = value
    with _lock:
        # Kept only when no commit made the process forget meanwhile: the value read may predate it.
        if forgotten == _forgotten:
            _kept = (value, now)
    return value


def forget() -> None:
    """Make this process read the row again at its next read."""
    global _kept, _forgotten
    with _lock:
        _kept = (None, 0.0)
        _forgotten += 1
