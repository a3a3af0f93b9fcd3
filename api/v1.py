"""THE integration API, version 1: /api/v1/ (its OpenAPI 3.1 document at openapi.json, its docs at docs)."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from . import clients, public
from .problems import MEDIA_TYPE, Problem, problem_response

DESCRIPTION = """Cổng Dịch vụ công — API tích hợp (integration API).

Public reads need no key. A system client (an agency's sector software) sends `Authorization: Bearer <key>`;
the key is issued, rotated and revoked by the operator in the admin and shown once. Every POST honours an
`Idempotency-Key` header (8–64 letters, digits, `-`, `_`): a repeat answers the resource as it is now.
Errors are problem details (RFC 9457, `application/problem+json`) with a Vietnamese `title` and an English
`title_en`.
"""


class PortalApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document error answers with the media type they are sent with."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if int(status) >= 400 and "content" in answer:
                        answer["content"] = {MEDIA_TYPE: next(iter(answer["content"].values()))}
        return schema


api = PortalApi(title="Cổng Dịch vụ công — API tích hợp", version="1.0.0", description=DESCRIPTION,
                urls_namespace="api-v1")
api.add_router("", public.router)
api.add_router("", clients.router)


@api.exception_handler(Problem)
def _problem(request, exc):
    return problem_response(exc)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return problem_response(Problem("unauthorized", _("Thiếu tiêu đề Authorization: Bearer <khóa API>."),
                                    headers={"WWW-Authenticate": 'Bearer realm="api"'}))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors]
    return problem_response(Problem("invalid", _("Dữ liệu gửi lên không hợp lệ."), errors=errors))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(Problem("not-found"))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    kind = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 429: "rate-limited"}
    return problem_response(Problem(kind.get(exc.status_code, "bad-request"), str(exc)))
