from django.db import models


class AgencyLevel(models.TextChoices):
    PROVINCIAL = "provincial", "Sở, ban, ngành"
    COMMUNE = "commune", "UBND xã, phường"
    OTHER = "other", "Cơ quan khác"


class OnlineLevel(models.IntegerChoices):
    """Online service level of Decree 42/2022/NĐ-CP; the old "Mức độ 3 / 4" stays in the label and the value."""

    PARTIAL = 3, "Một phần (Mức độ 3)"
    FULL = 4, "Toàn trình (Mức độ 4)"


# The `level` filter of the catalogue URL (DESIGN.md §4): the Decree 42 names, the old numbers as aliases.
ONLINE_LEVEL_SLUGS = {"toan-trinh": OnlineLevel.FULL, "mot-phan": OnlineLevel.PARTIAL}
ONLINE_LEVEL_ALIASES = {**ONLINE_LEVEL_SLUGS, "4": OnlineLevel.FULL, "3": OnlineLevel.PARTIAL}


class ImplementationLevel(models.TextChoices):
    """Who carries a procedure out, after the 2025 reform of local government (no district level)."""

    MINISTRY = "bo", "Cấp bộ"
    PROVINCE = "tinh", "Cấp tỉnh"
    COMMUNE = "xa", "Cấp xã"
    OTHER = "khac", "Cơ quan khác"


class Channel(models.TextChoices):
    """How a dossier is handed in (cách thức thực hiện)."""

    ONLINE = "online", "Trực tuyến"
    COUNTER = "counter", "Trực tiếp"
    POST = "post", "Dịch vụ bưu chính"


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
