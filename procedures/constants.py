from django.db import models


class AgencyLevel(models.TextChoices):
    PROVINCIAL = "provincial", "Sở, ban, ngành"
    COMMUNE = "commune", "UBND xã, phường"
    OTHER = "other", "Cơ quan khác"


class OnlineLevel(models.IntegerChoices):
    PARTIAL = 3, "Mức độ 3"
    FULL = 4, "Mức độ 4"


class FeeKind(models.TextChoices):
    FEE = "phi", "Phí"
    CHARGE = "le_phi", "Lệ phí"


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", "Bản chính"
    COPY = "copy", "Bản sao"
    CERTIFIED_COPY = "certified_copy", "Bản sao chứng thực"


# File types a component may accept, by extension; the dossier upload checks the content too.
FILE_TYPE_CHOICES = ["pdf", "jpg", "png", "doc", "docx", "xls", "xlsx"]
DEFAULT_ACCEPTED_TYPES = "pdf,jpg,png"


class StaffRole(models.TextChoices):
    RECEIVE = "receive", "Tiếp nhận (một cửa)"
    PROCESS = "process", "Xử lý (chuyên viên)"
    APPROVE = "approve", "Phê duyệt (lãnh đạo)"
    # Sees the agency's payments and refunds them; no move of the dossier workflow (accounts.roles).
    ACCOUNTANT = "accountant", "Kế toán (hoàn phí, đối soát)"
