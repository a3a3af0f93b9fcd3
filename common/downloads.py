"""One way to hand out a stored file once a view has decided the user may have it."""

from functools import lru_cache

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def is_object_storage(storage) -> bool:
    """True for S3-compatible storage (django-storages), which can sign a URL for one object."""
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def stored_file_response(
    *, name: str, filename: str, content_type: str, as_attachment: bool = True, storage=None
) -> HttpResponse:
    """Stream the file from local storage, or redirect to a short-lived signed URL on object storage.

    The caller has already checked permission: the signed URL is the permission, for
    AWS_QUERYSTRING_EXPIRE seconds, and it carries the file's real name and type so the
    browser saves "don-de-nghi.pdf", not the generated key.
    """
    storage = storage or default_storage
    if is_object_storage(storage):
        url = _signer(storage).url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=storage.querystring_expire,
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            storage.open(name, "rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "private, no-store"
    return response


def _signer(storage):
    """The storage that signs download URLs: the same, or one for the address browsers reach.

    In compose the portal reaches MinIO as http://minio:9000, which no browser can open; a
    signature covers the host, so the URL is signed for AWS_S3_PUBLIC_ENDPOINT_URL instead.
    """
    public = settings.AWS_S3_PUBLIC_ENDPOINT_URL
    if not public or public == storage.endpoint_url:
        return storage
    return _public_storage(public, storage.bucket_name)


@lru_cache(maxsize=4)
def _public_storage(endpoint_url: str, bucket_name: str):
    from storages.backends.s3 import S3Storage

    # Signing is local: this client never connects anywhere.
    return S3Storage(endpoint_url=endpoint_url, bucket_name=bucket_name)
