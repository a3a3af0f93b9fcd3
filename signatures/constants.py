from django.db import models
from django.utils.translation import gettext_lazy as _


class SignerKind(models.TextChoices):
    FILE = "file", _("Tệp khóa (PKCS#12 hoặc PEM)")
    PKCS11 = "pkcs11", _("Thiết bị ký PKCS#11 (HSM, USB token)")
    REMOTE = "remote", _("Ký số từ xa (dịch vụ của tổ chức cung cấp chứng thư số)")


class Verdict(models.TextChoices):
    """What the verification says of one signature, the worst finding first in FINDINGS below."""

    VALID = "valid", _("Hợp lệ")
    MODIFIED = "modified", _("Văn bản đã bị thay đổi sau khi ký")
    BROKEN = "broken", _("Chữ ký không hợp lệ")
    REVOKED = "revoked", _("Chứng thư số đã bị thu hồi")
    EXPIRED = "expired", _("Chứng thư số đã hết hạn hoặc chưa có hiệu lực")
    UNTRUSTED = "untrusted", _("Chứng thư số không thuộc tổ chức cung cấp dịch vụ tin cậy")
    UNKNOWN = "unknown", _("Chưa xác định được tình trạng chứng thư số")
