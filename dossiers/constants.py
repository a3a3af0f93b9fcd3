from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.IntegerChoices):
    """States of a dossier; 1–10 are the National Public Service Portal's codes."""

    DRAFT = 0, _("Đang soạn")
    SUBMITTED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung")
    PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWAL = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    DONE = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


FINAL = frozenset({DossierStatus.REFUSED, DossierStatus.STOPPED, DossierStatus.RETURNED})
# States in which the processing clock runs (a supplement request stops it; done stops it for good).
CLOCK_RUNNING = frozenset(
    {DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.PAYMENT, DossierStatus.WITHDRAWAL}
)


class DossierAction(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE = "receive", _("Tiếp nhận")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    ANSWER_SUPPLEMENT = "answer_supplement", _("Nộp bổ sung")
    START = "start", _("Bắt đầu xử lý")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu nộp phí, lệ phí")
    MARK_PAID = "mark_paid", _("Đã nộp phí, lệ phí")
    WITHDRAW = "withdraw", _("Yêu cầu rút hồ sơ")
    STOP = "stop", _("Dừng xử lý")
    FINISH = "finish", _("Hoàn thành xử lý")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    EXTEND = "extend", _("Gia hạn (phiếu xin lỗi)")


class SubmitMethod(models.TextChoices):
    ONLINE = "online", _("Chỉ nộp trực tuyến")
    POST = "post", _("Nộp hồ sơ giấy qua bưu chính công ích")


class ResultMethod(models.TextChoices):
    COUNTER = "counter", _("Nhận trực tiếp tại Bộ phận một cửa")
    POST = "post", _("Nhận qua bưu chính công ích")
    ELECTRONIC = "electronic", _("Nhận kết quả điện tử trên Cổng")


class FeeStatus(models.TextChoices):
    """Where a dossier's fee stands (Dossier.payment_status); one payment attempt's state is payments' PaymentStatus.

    workflow.FEE_TRANSITIONS has the moves, services.dossier_fee_move applies them."""

    NOT_REQUIRED = "not_required", _("Không thu phí")
    EXEMPT = "exempt", _("Được miễn phí, lệ phí")
    UNPAID = "unpaid", _("Chưa thanh toán")
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    PARTLY_REFUNDED = "partly_refunded", _("Đã hoàn một phần")
    REFUNDED = "refunded", _("Đã hoàn tiền")


# The fee was paid (some or all of it maybe given back since): a receipt exists, the statistics count it paid.
FEE_PAID = frozenset({FeeStatus.PAID, FeeStatus.PARTLY_REFUNDED, FeeStatus.REFUNDED})
# Nothing more will ever be owed or paid (so is NOT_REQUIRED once submitted: the submission is its only way out).
FEE_FINAL = frozenset({FeeStatus.EXEMPT, FeeStatus.REFUNDED})


class FileKind(models.TextChoices):
    APPLICATION = "application", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    RESULT = "result", _("Kết quả giải quyết")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ")
    WORKDAY = "workday", _("Ngày làm việc bù")


# Wizard steps, in order (the number is what Dossier.wizard_step records as reached).
WIZARD_STEPS = [
    (1, _("Thông tin người nộp")),
    (2, _("Thành phần hồ sơ")),
    (3, _("Hình thức nộp và nhận kết quả")),
    (4, _("Xem lại và nộp")),
]

# Lookup keys avoid letters and digits that are easy to misread (0/O, 1/I/L).
LOOKUP_KEY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LOOKUP_KEY_LENGTH = 6
