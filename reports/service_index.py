"""The service index of Decision 766/QĐ-TTg (23/6/2022): six groups of indicators, 100 points, per agency and
month, computed from MonthFigures and, for today's overdue dossiers, ClockFigures (reports.selectors).

Each indicator is a share: a numerator over a denominator, both shown. A group's points are its weight times
the mean of its indicators that have a denominator this month; a group with no such indicator, or whose data
the portal does not hold, scores nothing and its weight is left out of the points available, so an agency
is never marked down for what the portal cannot see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from national_sync.selectors import synced_counts

from .selectors import Figures, figure_cells, figures_sum


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    weight: int


GROUPS = [
    Group("transparency", _("Công khai, minh bạch"), 18),
    Group("progress", _("Tiến độ giải quyết"), 20),
    Group("online", _("Dịch vụ công trực tuyến"), 12),
    Group("payment", _("Thanh toán trực tuyến"), 10),
    Group("satisfaction", _("Mức độ hài lòng"), 18),
    Group("digitisation", _("Số hóa hồ sơ"), 22),
]


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    name: str
    numerator: str
    denominator: str
    how: str
    parts: Callable[[Figures], tuple[int, int]]
    # The share counts for the points as it is (higher is better) or as 100 − share (lower is better).
    lower_is_better: bool = False


INDICATORS = [
    Indicator(
        "synced", "transparency", _("Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
        _("hồ sơ Cổng quốc gia đã xác nhận trạng thái mới nhất"), _("hồ sơ nộp trong tháng"),
        _("Chỉ tiêu 1.4: hồ sơ nộp trong tháng mà Cổng Dịch vụ công quốc gia đã xác nhận đang giữ trạng thái mới nhất "
          "(đối chiếu tra cứu), không tính theo số lần đã gửi."),
        lambda f: (f.synced, f.submitted),
    ),
    Indicator(
        "on_time", "progress", _("Tỷ lệ hồ sơ giải quyết đúng hạn"),
        _("hồ sơ giải quyết xong đúng hoặc trước hạn"), _("hồ sơ đã giải quyết xong"),
        _("Hồ sơ tiếp nhận trong tháng đã xử lý xong (hoặc đã trả kết quả), ngày xử lý xong không sau ngày hẹn trả."),
        lambda f: (f.on_time, f.resolved),
    ),
    Indicator(
        "overdue", "progress", _("Tỷ lệ hồ sơ đang quá hạn"),
        _("hồ sơ đang xử lý đã quá ngày hẹn trả"), _("hồ sơ tiếp nhận"),
        _("Tính đến hôm nay: hồ sơ chưa xử lý xong đã quá ngày hẹn trả; hồ sơ đang chờ bổ sung không tính "
          "(thời hạn tạm dừng). Điểm tính theo phần không quá hạn."),
        lambda f: (f.overdue, f.received), lower_is_better=True,
    ),
    Indicator(
        "online", "online", _("Tỷ lệ hồ sơ nộp trực tuyến"),
        _("hồ sơ nộp trực tuyến"), _("hồ sơ tiếp nhận"),
        _("Hồ sơ tiếp nhận trong tháng được nộp trên Cổng, trên tổng số hồ sơ tiếp nhận (cả nộp tại quầy)."),
        lambda f: (f.online, f.received),
    ),
    Indicator(
        "payment", "payment", _("Tỷ lệ thanh toán trực tuyến"),
        _("hồ sơ đã thanh toán qua cổng thanh toán"), _("hồ sơ phải nộp phí, lệ phí"),
        _("Hồ sơ có phí, lệ phí (không được miễn) đã thanh toán trực tuyến qua ngân hàng hoặc ví điện tử."),
        lambda f: (f.paid_online, f.owing_fee),
    ),
    Indicator(
        "satisfaction", "satisfaction", _("Tỷ lệ hài lòng"),
        _("đánh giá hài lòng hoặc rất hài lòng (4–5)"), _("hồ sơ được đánh giá"),
        _("Đánh giá của người nộp sau khi nhận kết quả, thang 1–5; 4 và 5 là hài lòng."),
        lambda f: (f.satisfied, f.rated),
    ),
    Indicator(
        "electronic_result", "digitisation", _("Tỷ lệ trả kết quả điện tử"),
        _("hồ sơ trả kết quả điện tử trên Cổng"), _("hồ sơ đã giải quyết xong"),
        _("Hồ sơ đã xử lý xong mà người nộp nhận kết quả điện tử trên Cổng: đã chọn nhận kết quả điện tử, hoặc "
          "thủ tục toàn trình (bản điện tử kèm bản giấy gửi bưu chính hay nhận tại quầy)."),
        lambda f: (f.electronic_result, f.resolved),
    ),
    Indicator(
        "digitised", "digitisation", _("Tỷ lệ số hóa thành phần hồ sơ"),
        _("thành phần bắt buộc có bản điện tử"), _("thành phần bắt buộc của hồ sơ tiếp nhận"),
        _("Mỗi hồ sơ tiếp nhận tính các giấy tờ bắt buộc phải nộp của thủ tục theo trường hợp, cách nộp và điều kiện "
          "người nộp đã khai (không tính giấy tờ xuất trình, lưu ý); thành phần có ít nhất một tệp đính kèm (người nộp "
          "tải lên, nộp bổ sung hoặc cán bộ quét) là đã số hóa."),
        lambda f: (f.digitised, f.components),
    ),
]

# What Decision 766 measures that the portal cannot compute yet, and why.
SYNC_OFF = ("transparency", _("Đồng bộ hồ sơ, trạng thái lên Cổng Dịch vụ công quốc gia"),
            _("Đồng bộ với Cổng Dịch vụ công quốc gia chưa được bật nên không biết hồ sơ nào đã được đồng bộ."))
NOT_COMPUTED = [
    ("transparency", _("Công khai thủ tục trên Cơ sở dữ liệu quốc gia về TTHC"),
     _("Danh mục thủ tục được nhập vào Cổng, không đối chiếu được với Cơ sở dữ liệu quốc gia.")),
    ("digitisation", _("Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa"),
     _("Cổng chưa kết nối kho dữ liệu điện tử của tổ chức, cá nhân nên không biết giấy tờ nào được dùng lại.")),
    ("satisfaction", _("Đánh giá qua tổng đài, khảo sát trực tiếp"),
     _("Cổng chỉ có đánh giá trực tuyến của người nộp; kết quả khảo sát khác không được nhập vào Cổng.")),
]


# The shares and points are cached on first use (frozen dataclasses keep a __dict__ for cached_property): the
# ranking sorts by them and the page reads each several times, which recomputed every group's mean each time.


@dataclass(frozen=True)
class Value:
    indicator: Indicator
    numerator: int
    denominator: int

    @cached_property
    def share(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None

    @cached_property
    def points_share(self) -> float | None:
        """The share as it counts for the points (0–100, higher is better)."""
        if self.share is None:
            return None
        return round(100 - self.share, 1) if self.indicator.lower_is_better else self.share


@dataclass(frozen=True)
class GroupScore:
    group: Group
    values: list[Value]
    computable: bool  # the portal holds data for this group at all

    @cached_property
    def points(self) -> float | None:
        shares = [v.points_share for v in self.values if v.points_share is not None]
        if not shares:
            return None
        return round(self.group.weight * sum(shares) / len(shares) / 100, 1)


@dataclass(frozen=True)
class Scorecard:
    label: str
    key: object
    figures: Figures
    groups: list[GroupScore]

    @cached_property
    def values(self) -> list[Value]:
        return [v for g in self.groups for v in g.values]

    @cached_property
    def points(self) -> float:
        return round(sum(g.points for g in self.groups if g.points is not None), 1)

    @cached_property
    def available(self) -> int:
        return sum(g.group.weight for g in self.groups if g.points is not None)

    @cached_property
    def out_of_100(self) -> float | None:
        return round(100 * self.points / self.available, 1) if self.available else None

    @cached_property
    def average_days(self) -> float | None:
        """Average processing time of the dossiers resolved, in calendar days (received → finished)."""
        if not self.figures.resolved:
            return None
        return round(self.figures.processing_seconds / self.figures.resolved / 86400, 1)


def indicators() -> list[Indicator]:
    """The indicators computed: the synced share only while sync with the national portal is on."""
    return [i for i in INDICATORS if i.key != "synced" or settings.NATIONAL_SYNC_ENABLED]


def not_computed() -> list[tuple]:
    """What the index cannot compute, with why; the synced share while sync with the national portal is off."""
    return ([SYNC_OFF] if not settings.NATIONAL_SYNC_ENABLED else []) + NOT_COMPUTED


def scorecard(figures: Figures, *, label: str = "", key=None) -> Scorecard:
    groups = []
    for group in GROUPS:
        values = [Value(i, *i.parts(figures)) for i in indicators() if i.group == group.key]
        groups.append(GroupScore(group, values, computable=bool(values)))
    return Scorecard(label=label, key=key, figures=figures, groups=groups)


@dataclass(frozen=True)
class ServiceIndex:
    year: int
    month: int
    province: Scorecard
    agencies: list[Scorecard]  # best first


def _with_sync(figures: Figures, counts: tuple[int, int] | None) -> Figures:
    return replace(figures, synced=counts[0], submitted=counts[1]) if counts else figures


def service_index(*, year: int, month: int, agency=None) -> ServiceIndex:
    """The index of every agency (or the one chosen) for the month, and of the province (their sum)."""
    cells = figure_cells(year=year, month=month, agency=agency)
    first = date(year, month, 1)
    synced = synced_counts(first=first, end=(first + timedelta(days=32)).replace(day=1), agency=agency)
    cards = [scorecard(_with_sync(figures_sum([counts]), synced.get(code)), label=name, key=code)
             for (code, name, _m), counts in cells.items()]
    cards.sort(key=lambda c: (-(c.out_of_100 or 0), c.label))
    total = figures_sum(list(cells.values()))
    total = replace(total, synced=sum(s for s, _n in synced.values()), submitted=sum(n for _s, n in synced.values()))
    return ServiceIndex(year=year, month=month, province=scorecard(total, label=str(_("Toàn tỉnh"))), agencies=cards)
