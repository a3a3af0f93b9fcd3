"""A citizen's own pages ("Hồ sơ của tôi", one dossier, the transactions) kept rendered in the cache, per citizen.

What is kept is the body of the page (below the menu, above the footer), and only for a GET. Its key holds:

- the citizen's id and their pages' stamp: a random value kept in the cache, forgotten by `citizen_pages_changed`
  on every write that changes what these pages show (dossiers/signals.py and payments/signals.py call it on each
  save and delete of a dossier, its events, files, fee lines, payments and refunds; the few UPDATEs that send no
  signal call it themselves), at once and again when the writing transaction commits;
- the catalogue's version (procedure and agency names, procedures.selectors.catalogue_changed), the language, today's
  date (the "overdue" badge) and what the page is (its query string, the dossier's code).

The menu, the messages and the CSRF token are rendered for each request: the body is rendered with a hole where a
form's token goes, filled on the way out with the token of the session asking. A body is only ever looked up under
the id of the logged-in citizen asking, so one citizen's page cannot reach another. When the cache does not answer,
the body is rendered every time (a stamp that cannot be read is a fresh random one, never found again).
"""

import hashlib
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from procedures.selectors import catalogue_version

# How long a body stays without being asked for; a change never waits for it (the stamp changes).
BODY_SECONDS = 600
STAMP_SECONDS = 24 * 3600

# What {% csrf_token %} writes in a cached body instead of the token. Autoescaping turns any "<" that a user typed
# into "&lt;", so this text cannot come from a dossier's data.
CSRF_HOLE = mark_safe("<csrf-token-hole>")


def _stamp_key(user_id: int) -> str:
    return f"citizen:pages:{user_id}"


def citizen_pages_changed(user_id: int | None) -> None:
    """Make the citizen's cached pages unreachable: now, and again when the current transaction commits (a page
    rendered between the two from data not yet committed is dropped with the second)."""
    if user_id is None:
        return
    key = _stamp_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _stamp(user_id: int) -> str:
    key = _stamp_key(user_id)
    stamp = cache.get(key)
    if stamp is None:
        cache.add(key, uuid.uuid4().hex, STAMP_SECONDS)
        stamp = cache.get(key)
    return stamp or uuid.uuid4().hex  # the cache does not answer: a key nobody will find again


def _body_key(request, page: str, parts: tuple) -> str:
    what = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return ":".join([
        "citizen:body", str(request.user.pk), _stamp(request.user.pk), str(catalogue_version()),
        get_language() or "", timezone.localdate().isoformat(), page, what,
    ])


def citizen_page_body(request, *, page: str, parts: tuple, template: str, context: Callable[[], dict]) -> SafeString:
    """The body of one of the logged-in citizen's pages: `template` rendered with `context()`, from the cache when a
    GET asked for the same page (`page` and `parts`) since the citizen's data last changed.

    `context` is only called on a miss, so what it reads (and what it raises, Http404) costs nothing on a hit.
    """
    key = _body_key(request, page, parts) if request.method in ("GET", "HEAD") else None
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": CSRF_HOLE})
        if key:
            cache.set(key, html, BODY_SECONDS)
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    return mark_safe(html)


def dossier_pages_changed(instance) -> None:
    """`citizen_pages_changed` for the owner of the dossier that `instance` (anything with a `dossier` key) is of."""
    from .models import Dossier

    if type(instance)._meta.get_field("dossier").is_cached(instance):
        owner_id = instance.dossier.owner_id if instance.dossier is not None else None
    else:
        owner_id = Dossier.objects.filter(pk=instance.dossier_id).values_list("owner_id", flat=True).first()
    citizen_pages_changed(owner_id)
