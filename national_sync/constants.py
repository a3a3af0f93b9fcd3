from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.constants import DossierStatus, SubmitMethod


class RecordKind(models.TextChoices):
    DOSSIER = "dossier", _("Hồ sơ (đồng bộ lần đầu)")
    PROGRESS = "progress", _("Tiến độ (cùng trạng thái)")
    STATUS = "status", _("Trạng thái (chuyển bước)")


class RecordState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class Channel(models.IntegerChoices):
    """HinhThuc: how the dossier reached the agency, in the national portal's codes."""

    COUNTER = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


# THE table from the portal's states to the national portal's TrangThaiHoSo (1–10). A draft is never synced.
NATIONAL_STATUS = {
    DossierStatus.SUBMITTED: 1,  # Mới đăng ký
    DossierStatus.RECEIVED: 2,  # Được tiếp nhận
    DossierStatus.REFUSED: 3,  # Không được tiếp nhận
    DossierStatus.PROCESSING: 4,  # Đang xử lý
    DossierStatus.SUPPLEMENT: 5,  # Yêu cầu bổ sung
    DossierStatus.PAYMENT: 6,  # Yêu cầu thực hiện nghĩa vụ tài chính
    DossierStatus.WITHDRAWAL: 7,  # Công dân rút hồ sơ
    DossierStatus.STOPPED: 8,  # Dừng xử lý
    DossierStatus.DONE: 9,  # Đã xử lý xong
    DossierStatus.RETURNED: 10,  # Đã trả kết quả
}
NATIONAL_STATUS_LABELS = {
    1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân rút hồ sơ", 8: "Dừng xử lý", 9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}


def channel_of(*, is_online: bool, submit_method: str) -> int:
    """HinhThuc of a dossier: paper sent by post, otherwise online or at the counter."""
    if submit_method == SubmitMethod.POST:
        return Channel.POST
    return Channel.ONLINE if is_online else Channel.COUNTER
