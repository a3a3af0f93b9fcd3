import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve
from django.views.defaults import bad_request
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger("portal.request")


class PortalLocaleMiddleware(LocaleMiddleware):
    """Vietnamese for everyone unless the visitor chose another language with the switch.

    The browser's Accept-Language is ignored on purpose: many citizens' phones are set to
    English, and the portal's documents, forms and e-mails are Vietnamese first.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestLimitsMiddleware:
    """Read the query and the body once, up front, within Django's limits (DATA_UPLOAD_MAX_NUMBER_FIELDS,
    DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FILES).

    Past a limit Django raises a SuspiciousOperation that its handler logs as an ERROR with a traceback,
    so anyone could fill the error log with one loop. Here it is what it is, bad input: one warning line
    and a 400, or, when the view answers a payment gateway, that gateway's own refusal (the view's
    `bad_input_response`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # noqa: B018 - parsed now, where its limit can be answered
            if request.method == "POST":
                # A gateway's webhook verifies its raw body: parsing it as multipart would consume the
                # stream and leave the view nothing to read. Its body is small and bounded by
                # DATA_UPLOAD_MAX_MEMORY_SIZE; uploads, which are not, go through the streaming parser.
                raw = self.bad_input_answer(request) is not None
                if not raw and request.content_type in ("application/x-www-form-urlencoded",
                                                        "multipart/form-data"):
                    request.POST  # noqa: B018
                else:
                    request.body  # noqa: B018
        except (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig, MultiPartParserError) as exc:
            return self.refuse(request, exc)
        return self.get_response(request)

    @staticmethod
    def bad_input_answer(request):
        """Return the view's own answer to bad input (gateway webhooks have one) with its URL kwargs, or None."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        answer = getattr(match.func, "bad_input_response", None)
        return (answer, match.kwargs) if answer else None

    def refuse(self, request, exc):
        logger.warning("bad input refused: %s", exc.__class__.__name__,
                       extra={"path": request.path, "status_code": 400, "reason": str(exc)[:200]})
        request._mark_post_parse_error()
        found = self.bad_input_answer(request)
        response = found[0](request, **found[1]) if found else bad_request(request, exc)
        response._has_been_logged = True  # the warning above is the one line for this request
        return response
