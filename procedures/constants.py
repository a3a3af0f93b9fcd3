from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Sở, ban, ngành")
    COMMUNE = "commune", _("UBND xã, phường")
    OTHER = "other", _("Cơ quan khác")


class AgencyKind(models.TextChoices):
    """What an agency is, so that the receiving map can say "each commune's People's Committee"."""

    PEOPLE_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
    POLICE = "cong_an", _("Công an")
    DEPARTMENT = "so_nganh", _("Sở, ban, ngành")
    OTHER = "khac", _("Cơ quan khác")


class OnlineLevel(models.IntegerChoices):
    """Online service level of Decree 42/2022/NĐ-CP; the old "Mức độ 3 / 4" stays in the label and the value."""

    PARTIAL = 3, _("Một phần (Mức độ 3)")
    FULL = 4, _("Toàn trình (Mức độ 4)")


# The `level` filter of the catalogue URL (DESIGN.md §4): the Decree 42 names, the old numbers as aliases.
ONLINE_LEVEL_SLUGS = {"toan-trinh": OnlineLevel.FULL, "mot-phan": OnlineLevel.PARTIAL}
ONLINE_LEVEL_ALIASES = {**ONLINE_LEVEL_SLUGS, "4": OnlineLevel.FULL, "3": OnlineLevel.PARTIAL}


class ImplementationLevel(models.TextChoices):
    """Who carries a procedure out, after the 2025 reform of local government (no district level)."""

    MINISTRY = "bo", _("Cấp bộ")
    PROVINCE = "tinh", _("Cấp tỉnh")
    COMMUNE = "xa", _("Cấp xã")
    OTHER = "khac", _("Cơ quan khác")


# The levels a province's receiving map covers: procedures only a ministry carries out get no provincial agency.
MAPPED_LEVELS = (ImplementationLevel.PROVINCE, ImplementationLevel.COMMUNE, ImplementationLevel.OTHER)


class Channel(models.TextChoices):
    """How a dossier is handed in (cách thức thực hiện)."""

    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Dịch vụ bưu chính")


class ComponentRole(models.TextChoices):
    """What a line of the national "Thành phần hồ sơ" text asks of the citizen."""

    UPLOAD = "upload", _("Giấy tờ phải nộp")
    SHOW = "show", _("Giấy tờ xuất trình tại quầy")
    NOTE = "note", _("Lưu ý, hướng dẫn")


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
    # Sees the agency's payments and refunds them; no move of the dossier workflow (accounts.roles).
    ACCOUNTANT = "accountant", _("Kế toán (hoàn phí, đối soát)")
