"""A citizen's own pages ("Hồ sơ của tôi", one dossier, the transactions) kept rendered in the cache, per citizen.

A GET of one of these pages is answered from the cache when the same citizen asked for the same address since their
data last changed. The key holds:

- the citizen's id, name and staff flag (the menu);

A page shown while the citizen acts for someone else (representation: an authorisation, an organisation) is never
kept: what it may show depends on an authorisation that can be revoked at any moment.
- the catalogue's version (procedure and agency names, procedures.services.catalogue_changed), the language,
  today's date (the "overdue" badge) and the full address (path and query).

A kept page carries the citizen's pages' stamp it was rendered under, and is used only while that is still their
stamp: a random value kept in the cache beside the pages, forgotten by `citizen_pages_changed` whenever what
these pages show changes (the domain events dossier.edited, dossier.moved and payment.moved of common.events, which
every write of a dossier, its files, fee lines, payments and refunds emits; subscribed in dossiers/apps.py), at once
and again when the transaction commits. The stamp and the page are read in one round trip (MGET).

What differs between two requests of the same citizen is never kept: the page is rendered with a hole where each
form's CSRF token goes, filled on the way out with the token of the session asking; a request with messages waiting
(a success after a POST) is rendered afresh and not kept. A page is only ever looked up under the id of the
logged-in citizen asking, so one citizen's page cannot reach another. When the cache does not answer, the page is
rendered every time (a stamp that cannot be read is a fresh random one, never found again).

Only on a cache that every process shares (settings.CITIZEN_PAGES_CACHED, on with Redis): with a local-memory cache a
write made by another process (a Celery task, another gunicorn worker) would not reach this one's kept pages.
"""

import hashlib
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from common.stamps import stamp_forget, stamp_get_or_make
from procedures.selectors import catalogue_version

# How long a page stays without being asked for; a change never waits for it (the stamp changes).
PAGE_SECONDS = 600
STAMP_SECONDS = 24 * 3600

# What {% csrf_token %} writes in a kept page instead of the token. Autoescaping turns any "<" that a user typed
# into "&lt;", so this text cannot come from a dossier's data.
CSRF_HOLE = mark_safe("<csrf-token-hole>")


def _stamp_key(user_id: int) -> str:
    return f"citizen:pages:{user_id}"


def citizen_pages_changed(user_id: int | None) -> None:
    """Make the citizen's cached pages unreachable: now, and again when the current transaction commits (a page
    rendered between the two from data not yet committed is dropped with the second)."""
    if user_id is not None:
        stamp_forget(_stamp_key(user_id))


def _new_stamp(key: str) -> str:
    """A stamp for a citizen who has none (a first page, or a write just forgot it)."""
    # The cache does not answer: a stamp nobody will find again.
    return stamp_get_or_make(key, STAMP_SECONDS) or uuid.uuid4().hex


def _page_key(request) -> str:
    """The page's key: everything it shows depends on but the stamp, which is kept inside the value (one round trip
    reads both)."""
    user = request.user
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    menu = hashlib.md5(f"{user.get_short_name()}|{user.is_staff}".encode(), usedforsecurity=False).hexdigest()
    return ":".join([
        "citizen:page", str(user.pk), str(catalogue_version()), get_language() or "",
        timezone.localdate().isoformat(), menu, address,
    ])


def _kept_page(request) -> tuple[str, str, str | None]:
    """The page's key, the citizen's stamp and the page kept under that stamp (None when there is none)."""
    stamp_key, page_key = _stamp_key(request.user.pk), _page_key(request)
    kept = cache.get_many([stamp_key, page_key])
    stamp, page = kept.get(stamp_key), kept.get(page_key)
    if stamp is None:
        return page_key, _new_stamp(stamp_key), None
    return page_key, stamp, page[1] if isinstance(page, tuple) and page[0] == stamp else None


def citizen_page(request, template: str, context: Callable[[], dict], *, status: int = 200) -> HttpResponse:
    """One of the logged-in citizen's pages: `template` rendered with `context()`, from the cache when it may be.

    `context` is only called when the page is rendered, so what it reads (and what it raises, Http404) costs nothing
    when the page comes from the cache. A page other than a 200 to a GET (a form refused) is never kept.
    """
    keep = (settings.CITIZEN_PAGES_CACHED and request.method in ("GET", "HEAD") and status == 200
            and not len(messages.get_messages(request)) and getattr(request, "acting_for", None) is None)
    key, stamp, html = _kept_page(request) if keep else (None, None, None)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": CSRF_HOLE}, request=request)
        if key:
            cache.set(key, (stamp, html), PAGE_SECONDS)
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    return HttpResponse(html, status=status)


def dossier_followed(*, dossier) -> None:
    """Subscribed to the dossier's events (dossiers/apps.py): its owner's kept pages go."""
    citizen_pages_changed(dossier.owner_id)


def payment_followed(*, payment_id: int, dossier_id: int, owner_id: int | None) -> None:
    """Subscribed to payment.moved (dossiers/apps.py): the payer's kept pages go."""
    citizen_pages_changed(owner_id)
