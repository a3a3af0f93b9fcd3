"""Whole pages cached for anonymous visitors: home, catalogue, procedure pages, guide, FAQ, statistics.

A page is served from the cache, or stored in it, only for a request that carries no cookie but the CSRF
and language ones (no session: nobody is logged in, no message is waiting), and stored only when the view
left the session, the messages and the cookies alone. The key is the full path, the language and the
view's version (the catalogue's version, bumped on every change, so an edit shows at once).

Every page carries a CSRF token (the language switch is a POST form). The stored copy has a placeholder
in its place, and each visitor gets a token of their own when the page is served: a token is never
shared between visitors.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PLACEHOLDER = b"\x00csrf-token\x00"
HEADER = "X-Page-Cache"


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


def _key(request, version) -> str:
    raw = "|".join([request.get_full_path(), getattr(request, "LANGUAGE_CODE", ""), repr(version() if version else "")])
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _popular(key: str, after: int, timeout: int) -> bool:
    """Store a page only from its `after`-th request in `timeout` seconds (one-off searches are not kept)."""
    if after <= 1:
        return True
    seen = "seen:" + key
    cache.add(seen, 0, timeout)
    try:
        return cache.incr(seen) >= after
    except ValueError:  # expired in between, or the cache is down
        return False


def public_page(*, version: Callable[[], object] | None = None, timeout: int = 300, popular_after: int = 1):
    """Serve the view's page from the cache to anonymous visitors (see the module's docstring)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request, version)
            stored = cache.get(key)
            if stored is not None:
                content_type, content = stored
                if PLACEHOLDER in content:
                    content = content.replace(PLACEHOLDER, get_token(request).encode())
                response = HttpResponse(content, content_type=content_type)
                response[HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if _untouched(request, response) and _popular(key, popular_after, timeout):
                content = TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
                cache.set(key, (response["Content-Type"], content), timeout)
            response[HEADER] = "miss"
            return response

        return wrapped

    return decorator
