"""Files: static files, private uploads on disk or in S3-compatible object storage, how uploads arrive."""

from boto3.s3.transfer import TransferConfig

from .base import BASE_DIR, DEBUG, VAR_DIR, env
from .security import placeholder, refuse_unsafe

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files are private: there is no MEDIA_URL; every download goes through a view
# that checks who asks. With a bucket name, files go to S3-compatible object storage
# (MinIO in compose) and a permitted download is a redirect to a short-lived signed URL.
# The AWS_* values are read by django-storages when the storage is first used.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
# The address the portal reaches the bucket at, and the one citizens' browsers do when it differs
# (a signed URL is signed for its host; the proxy must pass that Host header on to MinIO).
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_PUBLIC_ENDPOINT_URL = env.str("AWS_S3_PUBLIC_ENDPOINT_URL", default="")
# No default: without keys boto3 looks for its own credentials (an instance role). A bucket's key pair is set whole
# and never to .env.example's placeholder.
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
if not DEBUG and AWS_STORAGE_BUCKET_NAME and (placeholder(AWS_SECRET_ACCESS_KEY)
                                              or (AWS_ACCESS_KEY_ID and not AWS_SECRET_ACCESS_KEY)):
    refuse_unsafe("AWS_SECRET_ACCESS_KEY")
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
# Objects are private (no public-read); only a signed URL opens one, and only for a short while.
AWS_DEFAULT_ACL = env.str("AWS_DEFAULT_ACL", default="private") or None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=60)  # seconds
AWS_S3_SIGNATURE_VERSION = "s3v4"
# MinIO serves buckets under the path (http://minio:9000/<bucket>/<key>), not as a subdomain.
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="path")
AWS_S3_FILE_OVERWRITE = False
# Upload parts one after another: a web worker holds one part (8 MB) in memory, not ten at once.
AWS_S3_TRANSFER_CONFIG = TransferConfig(use_threads=False)
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads larger than this go to a temporary file while they arrive, never whole into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o600
