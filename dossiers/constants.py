from django.db import models


class DossierStatus(models.IntegerChoices):
    """States of a dossier; 1–10 are the National Public Service Portal's codes."""

    DRAFT = 0, "Đang soạn"
    SUBMITTED = 1, "Mới đăng ký"
    RECEIVED = 2, "Được tiếp nhận"
    REFUSED = 3, "Không được tiếp nhận"
    PROCESSING = 4, "Đang xử lý"
    SUPPLEMENT = 5, "Yêu cầu bổ sung"
    PAYMENT = 6, "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWAL = 7, "Công dân yêu cầu rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    DONE = 9, "Đã xử lý xong"
    RETURNED = 10, "Đã trả kết quả"


FINAL = frozenset({DossierStatus.REFUSED, DossierStatus.STOPPED, DossierStatus.RETURNED})
# States in which the processing clock runs (a supplement request stops it; done stops it for good).
CLOCK_RUNNING = frozenset(
    {DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.PAYMENT, DossierStatus.WITHDRAWAL}
)


class DossierAction(models.TextChoices):
    SUBMIT = "submit", "Nộp hồ sơ"
    RECEIVE = "receive", "Tiếp nhận"
    REFUSE = "refuse", "Từ chối tiếp nhận"
    REQUEST_SUPPLEMENT = "request_supplement", "Yêu cầu bổ sung"
    ANSWER_SUPPLEMENT = "answer_supplement", "Nộp bổ sung"
    START = "start", "Bắt đầu xử lý"
    REQUEST_PAYMENT = "request_payment", "Yêu cầu nộp phí, lệ phí"
    MARK_PAID = "mark_paid", "Đã nộp phí, lệ phí"
    WITHDRAW = "withdraw", "Yêu cầu rút hồ sơ"
    STOP = "stop", "Dừng xử lý"
    FINISH = "finish", "Hoàn thành xử lý"
    RETURN_RESULT = "return_result", "Trả kết quả"
    EXTEND = "extend", "Gia hạn (phiếu xin lỗi)"


class SubmitMethod(models.TextChoices):
    ONLINE = "online", "Chỉ nộp trực tuyến"
    POST = "post", "Nộp hồ sơ giấy qua bưu chính công ích"


class ResultMethod(models.TextChoices):
    COUNTER = "counter", "Nhận trực tiếp tại Bộ phận một cửa"
    POST = "post", "Nhận qua bưu chính công ích"
    ELECTRONIC = "electronic", "Nhận kết quả điện tử trên Cổng"


class FeeStatus(models.TextChoices):
    """Where a dossier's fee stands (Dossier.payment_status); one payment attempt's state is payments' PaymentStatus."""

    NOT_REQUIRED = "not_required", "Không thu phí"
    UNPAID = "unpaid", "Chưa thanh toán"
    PAID = "paid", "Đã thanh toán"


class FileKind(models.TextChoices):
    APPLICATION = "application", "Thành phần hồ sơ"
    SUPPLEMENT = "supplement", "Hồ sơ bổ sung"
    RESULT = "result", "Kết quả giải quyết"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "Ngày nghỉ"
    WORKDAY = "workday", "Ngày làm việc bù"


# Wizard steps, in order (the number is what Dossier.wizard_step records as reached).
WIZARD_STEPS = [
    (1, "Thông tin người nộp"),
    (2, "Thành phần hồ sơ"),
    (3, "Hình thức nộp và nhận kết quả"),
    (4, "Xem lại và nộp"),
]

# Lookup keys avoid letters and digits that are easy to misread (0/O, 1/I/L).
LOOKUP_KEY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LOOKUP_KEY_LENGTH = 6
