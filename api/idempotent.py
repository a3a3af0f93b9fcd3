"""`Idempotency-Key` on the API's POSTs, through the idempotency app's claims (one row per account and key)."""

import re

from django.utils.translation import gettext as _

from idempotency import services as keys
from idempotency.constants import HEADER

from .problems import Problem

VALID_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")  # the forms' rule (idempotency.decorators)


def once(request, run, *, answer, replay):
    """Run `run()` once per (client account, key) and answer `answer(result)`; a repeat answers `replay()` (the
    resource as it is now), a repeat while the first still runs a 409, the key sent to another address a 422.

    A refused request (a problem) created nothing: it frees the key, and a retry runs anew."""
    key = request.headers.get(HEADER, "")
    if not key:
        return answer(run())
    if not VALID_KEY.match(key):
        raise Problem("bad-request", _("Idempotency-Key phải gồm 8–64 ký tự chữ, số, “-” hoặc “_”."))
    claim = keys.idempotency_claim(user=request.user, key=key, scope=f"api:{request.path}"[:255])
    if claim.location:
        return replay()
    if claim.busy:
        raise Problem("in-progress", headers={"Retry-After": "1"})
    if claim.conflict:
        raise Problem("key-reused")
    try:
        result = run()
    except BaseException:
        keys.idempotency_release(record=claim.record)
        raise
    keys.idempotency_finish(record=claim.record, location=request.path)
    return answer(result)
