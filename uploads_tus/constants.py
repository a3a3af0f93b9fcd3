from django.db import models
from django.utils.translation import gettext_lazy as _

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,expiration,termination"
# Upload-Checksum: the algorithm names of the tus checksum extension, as hashlib knows them.
CHECKSUM_ALGORITHMS = ("sha1", "sha256", "md5")
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
METADATA_MAX_BYTES = 4096
READ_CHUNK = 64 * 1024


class TusState(models.TextChoices):
    RECEIVING = "receiving", _("Đang nhận")
    ASSEMBLING = "assembling", _("Đang ghép tệp")
    STORED = "stored", _("Đã lưu vào hồ sơ")
    REFUSED = "refused", _("Bị từ chối")


FINAL = frozenset({TusState.STORED, TusState.REFUSED})
