from django.db import models
from django.utils.translation import gettext_lazy as _

# A client's key: "<PREFIX>_<public id>_<secret>"; the public id finds the row, the secret is checked against its hash.
KEY_PREFIX = "dvc"
PUBLIC_ID_BYTES = 6
SECRET_BYTES = 32


class Scope(models.TextChoices):
    """What a system client may do with its agencies' dossiers."""

    READ = "read", _("Chỉ đọc")
    WRITE = "write", _("Đọc và chuyển bước xử lý")
