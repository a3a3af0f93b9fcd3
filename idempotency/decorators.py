"""`@idempotent`: a view's POST honours the key its form (or the client's header) carries."""

import re
from functools import wraps

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import services
from .constants import FORM_FIELD, HEADER

_VALID_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _answer(request, message: str, *, status: int):
    response = render(request, "idempotency/answer.html", {"message": message}, status=status)
    if status == 409:
        response["Retry-After"] = "1"
    return response


def idempotent(view):
    """Run a POST once per (user, key); repeats get the first answer's redirect, or 409 while it runs.

    Only a redirect is kept as the outcome (a draft's step, the submitted dossier, the gateway's address):
    a page answered instead (a refused form, an error) created nothing, and frees the key for a retry.
    A POST without a key, or from nobody signed in, runs as it always did."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = (request.headers.get(HEADER) or request.POST.get(FORM_FIELD, "")) if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if not _VALID_KEY.match(key):
            return _answer(request, _("Mã chống gửi trùng của biểu mẫu không hợp lệ. Vui lòng tải lại trang."),
                           status=400)
        claim = services.idempotency_claim(user=request.user, key=key, scope=request.path)
        if claim.location:
            return HttpResponseRedirect(claim.location)
        if claim.busy:
            return _answer(request, _("Yêu cầu của bạn đang được xử lý, vui lòng thử lại sau giây lát."), status=409)
        if claim.conflict:
            return _answer(request, _("Biểu mẫu này đã được gửi cho một yêu cầu khác. Vui lòng tải lại trang."),
                           status=422)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            services.idempotency_release(record=claim.record)
            raise
        if response.status_code in _REDIRECTS and response.get("Location"):
            services.idempotency_finish(record=claim.record, location=response["Location"])
        else:
            services.idempotency_release(record=claim.record)
        return response

    return wrapper
