"""Whole pages cached for anonymous visitors: home, catalogue, procedure pages, guide, FAQ, statistics.

A page is served from the cache, or stored in it, only for a request that carries no cookie but the CSRF
and language ones (no session: nobody is logged in, no message is waiting), and stored only when the view
left the session, the messages and the cookies alone. The key is the full path and the language; the
stored copy carries the version of what it was made from (the catalogue's version, moved by every change
in the writing transaction and read by each process at most once a second: procedures.versioning), and is
served only while that is still the current version, so an edit shows within a second in every process.

The key holds the path and only the query parameters the view reads (`params`), sorted: a parameter the
page does not know (a link shared with `?fbclid=…`, `?x=<a number>`) is served the page kept without it,
and a page is stored only from a request that has nothing else (no unknown or repeated parameter). So a page
that reads no parameter is kept once per language, whatever is appended to its address; what the cache
holds of pages that do read parameters is bounded by their values, and in production by the cache
server's own memory limit (docker-compose.yml: the cache's Redis evicts, the broker's never does).

A hit costs one round trip to the cache: the page and the version counters it depends on are read with
one MGET (a `PageVersion`), and no database query but the catalogue's version once a second per process. A miss is computed once under a burst: the first request for a page takes a
short lock and renders it, the others asking for the same page meanwhile wait for its copy instead of
all rendering it at the same time.

Every page carries a CSRF token (the language switch is a POST form). The stored copy has a placeholder
in its place, and each visitor gets a token of their own when the page is served: a token is never
shared between visitors.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.http import urlencode

TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PLACEHOLDER = b"\x00csrf-token\x00"
HEADER = "X-Page-Cache"
# How long the first request for a page may hold it for the others, and how long they wait for its copy
# before rendering the page themselves (a crashed or very slow worker never holds the others for long).
LOCK_SECONDS = 10
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.005


@dataclass(frozen=True)
class PageVersion:
    """What a page is made from: version counters kept in the cache (each bumped by `version_bump` on every
    change of what it stands for; a counter not in the cache counts as 1) and, when given, a part known in
    the process without asking the cache (today's date; the catalogue's version, procedures.versioning, read
    from the database at most once a second)."""

    counters: tuple[str, ...] = ()
    local: Callable[[], object] | None = None

    def current(self, values: dict) -> tuple:
        counters = tuple(values.get(name, 1) for name in self.counters)
        return counters, (self.local() if self.local else None)


def _first_version() -> int:
    return time.time_ns() // 1000


# The version counters read with the page being served (public_page): the view reads them from here, not
# again from the cache, and renders from the same versions the page is kept under.
_READ_WITH_PAGE: ContextVar[dict] = ContextVar("versions_read_with_page", default={})


def version_read(counter: str) -> int:
    """The counter's value; one the cache does not hold starts from the clock."""
    known = _READ_WITH_PAGE.get().get(counter)
    if known is not None:
        return known
    return cache.get_or_set(counter, _first_version, None)


def version_bump(counter: str) -> None:
    """Bump a version counter. One the cache lost (evicted, flushed) starts again from the clock, never
    from a small number it may have held before: a page kept under that number would be served again."""
    try:
        cache.incr(counter)
    except ValueError:
        cache.set(counter, _first_version(), None)


def _safe_cookies() -> set[str]:
    return {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and set(request.COOKIES) <= _safe_cookies()
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _untouched(request, response) -> bool:
    """The view answered 200 with a plain page and left the visitor's state alone."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
        and not (messages is not None and getattr(messages, "_queued_messages", None))
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _key(request, params: frozenset[str]) -> tuple[str, bool]:
    """The page's key, and whether a copy of this request's page may be stored under it (the request has no
    parameter but the view's own, each once)."""
    query = sorted((name, request.GET[name]) for name in params & request.GET.keys())
    storable = len(query) == len(request.GET) and all(len(request.GET.getlist(name)) == 1 for name, _ in query)
    raw = "|".join([request.path, urlencode(query), getattr(request, "LANGUAGE_CODE", "")])
    return "page:" + hashlib.sha256(raw.encode()).hexdigest(), storable


def _popular(seen: str, count: int | None, after: int, timeout: int) -> bool:
    """Store a page only from its `after`-th request in `timeout` seconds (one-off searches are not kept).

    `count` is how many requests were seen before this one, read with the page (no round trip of its own);
    the count is a hint, not a limit: two requests at once may both count the same number.
    """
    if after <= 1:
        return True
    count = (count or 0) + 1
    if count >= after:
        return True
    cache.set(seen, count, timeout)
    return False


def _read(key: str, version: PageVersion, *also: str) -> tuple[tuple, tuple | None, dict]:
    """Return the current version, the stored copy made from it (None if there is none), and the values of
    the keys `also` asked for with them: one round trip."""
    values = cache.get_many([key, *version.counters, *also])
    current = version.current(values)
    stored = values.get(key)
    return current, (stored if stored is not None and stored[0] == current else None), values


def _wait_for(key: str, lock: str, version) -> tuple | None:
    """Wait while another request renders the page; return its copy, or None to render it here."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        _, stored, _ = _read(key, version)
        if stored is not None:
            return stored
        if not cache.has_key(lock):  # rendered, but not kept (not cacheable), or the cache is down
            return None
    return None


def _serve(request, stored) -> HttpResponse:
    _, content_type, content = stored
    if PLACEHOLDER in content:
        content = content.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, content_type=content_type)
    response[HEADER] = "hit"
    return response


def public_page(*, version: PageVersion = PageVersion(), timeout: int = 300, popular_after: int = 1,
                params: tuple[str, ...] = ()):
    """Serve the view's page from the cache to anonymous visitors (see the module's docstring).

    `version`: what the page is made from, read with the page in one round trip. `params`: the names of
    the query parameters the view reads (its form's fields, the page number).
    """
    known = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key, storable = _key(request, known)
            seen = "seen:" + key
            current, stored, values = _read(key, version, *([seen] if popular_after > 1 else []))
            if stored is not None:
                return _serve(request, stored)
            read = _READ_WITH_PAGE.set({name: values[name] for name in version.counters if name in values})
            try:
                return _render(request, view, args, kwargs, key=key, seen=seen, current=current, values=values,
                               storable=storable)
            finally:
                _READ_WITH_PAGE.reset(read)

        def _render(request, view, args, kwargs, *, key, seen, current, values, storable):
            if not storable or not _popular(seen, values.get(seen), popular_after, timeout):
                response = view(request, *args, **kwargs)
                response[HEADER] = "miss"
                return response
            lock = "render:" + key
            locked = cache.add(lock, 1, LOCK_SECONDS)
            if not locked:
                stored = _wait_for(key, lock, version)
                if stored is not None:
                    return _serve(request, stored)
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                if _untouched(request, response):
                    # Stored with the version read before rendering: a change made meanwhile makes it stale.
                    content = TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
                    cache.set(key, (current, response["Content-Type"], content), timeout)
            finally:
                if locked:
                    cache.delete(lock)
            response[HEADER] = "miss"
            return response

        return wrapped

    return decorator
