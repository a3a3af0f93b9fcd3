from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Sở, ban, ngành")
    COMMUNE = "commune", _("UBND xã, phường")
    OTHER = "other", _("Cơ quan khác")


class OnlineLevel(models.IntegerChoices):
    PARTIAL = 3, _("Mức độ 3")
    FULL = 4, _("Mức độ 4")


class FeeKind(models.TextChoices):
    FEE = "phi", _("Phí")
    CHARGE = "le_phi", _("Lệ phí")


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")


# File types a component may accept, by extension; the dossier upload checks the content too.
FILE_TYPE_CHOICES = ["pdf", "jpg", "png", "doc", "docx", "xls", "xlsx"]
DEFAULT_ACCEPTED_TYPES = "pdf,jpg,png"


class StaffRole(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận (một cửa)")
    PROCESS = "process", _("Xử lý (chuyên viên)")
    APPROVE = "approve", _("Phê duyệt (lãnh đạo)")
