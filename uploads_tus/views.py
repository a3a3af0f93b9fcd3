"""The tus 1.0 endpoint (https://tus.io/protocols/resumable-upload): core, creation, checksum, expiration,
termination. Only the dossier's owner, signed in, reaches an upload; POST, PATCH and DELETE pass Django's CSRF check
(the X-CSRFToken header) and must carry Tus-Resumable, which a cross-site form can neither send nor set."""

import base64
import binascii

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_http_methods

from . import services
from .constants import CHECKSUM_ALGORITHMS, METADATA_MAX_BYTES, OFFSET_CONTENT_TYPE, TUS_EXTENSIONS, TUS_VERSION
from .services import TusError


def _response(status: int = 204, text: str = "", **headers) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _options() -> HttpResponse:
    return _response(
        204, Tus_Version=TUS_VERSION, Tus_Extension=TUS_EXTENSIONS, Tus_Max_Size=services.max_upload_bytes(),
        Tus_Checksum_Algorithm=",".join(CHECKSUM_ALGORITHMS),
    )


def _guard(request):
    """Signed in, and speaking tus 1.0.0; otherwise the answer the protocol gives."""
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _response(412, Tus_Version=TUS_VERSION)
    if not request.user.is_authenticated:
        return _response(401)
    return None


def _metadata(header: str) -> dict:
    """`key base64value,key2 base64value2` (tus creation extension)."""
    if len(header) > METADATA_MAX_BYTES:
        raise TusError(400, "metadata too long")
    found = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _sep, value = pair.partition(" ")
        try:
            found[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise TusError(400, "bad metadata") from None
    return found


def _int_header(request, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise TusError(400, f"{name} missing or not a number")
    return int(value)


def _expires(upload) -> str:
    return http_date(upload.expires_at.timestamp())


def _fail(error: TusError) -> HttpResponse:
    return _response(error.status, error.message)


@require_http_methods(["OPTIONS", "POST"])
def collection(request):
    if request.method == "OPTIONS":
        return _options()
    if refused := _guard(request):
        return refused
    try:
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
        upload = services.tus_upload_create(
            user=request.user, dossier_uuid=meta.get("dossier", ""), component_id=meta.get("component", ""),
            filename=meta.get("filename", ""), length=_int_header(request, "Upload-Length"),
        )
    except TusError as error:
        return _fail(error)
    location = request.build_absolute_uri(reverse("uploads_tus:upload", args=[upload.uuid]))
    return _response(201, Location=location, Upload_Expires=_expires(upload), Upload_Offset=0)


@require_http_methods(["OPTIONS", "HEAD", "PATCH", "DELETE"])
def upload(request, uuid):
    if request.method == "OPTIONS":
        return _options()
    if refused := _guard(request):
        return refused
    try:
        found = services.tus_upload_for_owner(user=request.user, uuid_=uuid)
        if request.method == "HEAD":
            return _response(
                200, Upload_Offset=found.offset, Upload_Length=found.length, Upload_Expires=_expires(found)
            )
        if request.method == "DELETE":
            services.tus_upload_terminate(upload=found)
            return _response(204)
        return _patch(request, found)
    except TusError as error:
        return _fail(error)


def _patch(request, found) -> HttpResponse:
    if request.content_type != OFFSET_CONTENT_TYPE:
        return _response(415)
    offset = services.tus_chunk_append(
        upload=found, offset=_int_header(request, "Upload-Offset"), stream=request,
        length=_int_header(request, "Content-Length"),
        checksum=services.checksum_parse(request.headers.get("Upload-Checksum", "")),
    )
    if offset == found.length:
        services.tus_upload_finish(upload=found)
    return _response(204, Upload_Offset=offset, Upload_Expires=_expires(found))


