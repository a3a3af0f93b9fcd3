"""Vietnamese identity numbers and phone numbers: pure functions, no database.

Each `*_normalise` function returns the canonical form or raises ValidationError with a
message in Vietnamese that the form shows next to the field.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Province codes of the 63 pre-2025 provinces, as used in the first three CCCD digits
# (Circular 07/2016/TT-BCA, Annex I). CCCD numbers issued before the 2025 merger keep them.
CCCD_PROVINCE_CODES = frozenset(
    {
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
        "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
        "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
        "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
        "089", "091", "092", "093", "094", "095", "096",
    }
)  # fmt: skip

MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
MOBILE_PREFIXES = frozenset("35789")
_SEPARATORS = re.compile(r"[\s.\-()]")


def cccd_century_digit(*, birth_year: int, gender: str) -> str:
    """Return CCCD digit 4: even for men, odd for women, +2 for each century after the 1900s."""
    century_index = birth_year // 100 - 19  # 1900s→0, 2000s→1, 2100s→2 … (forms refuse years before 1900)
    return str(century_index * 2 + (1 if gender == "female" else 0))


def cccd_normalise(value: str, *, date_of_birth: date | None = None, gender: str = "") -> str:
    """Return the 12-digit CCCD number after checking its province, century/gender and year digits."""
    number = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{12}", number):
        raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), code="cccd_format")
    if number[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(_("Ba chữ số đầu của số CCCD không phải mã tỉnh, thành phố hợp lệ."), code="cccd_province")
    if date_of_birth is not None and gender:
        if number[3] != cccd_century_digit(birth_year=date_of_birth.year, gender=gender):
            raise ValidationError(
                _("Chữ số thứ 4 của số CCCD (mã thế kỷ và giới tính) không khớp với ngày sinh và giới tính đã nhập."),
                code="cccd_century",
            )
        if number[4:6] != f"{date_of_birth.year % 100:02d}":
            raise ValidationError(
                _("Chữ số thứ 5 và 6 của số CCCD không khớp với năm sinh đã nhập."), code="cccd_year"
            )
    return number


def mst_check_digit(first_nine: str) -> int | None:
    """Return the tenth digit of a tax code, or None when no digit can make it valid."""
    check = 10 - sum(int(d) * w for d, w in zip(first_nine, MST_WEIGHTS, strict=True)) % 11
    return None if check == 10 else check % 10  # remainder 0 gives 10 → invalid; 11 cannot happen


def mst_normalise(value: str) -> str:
    """Return a tax code as `NNNNNNNNNN` or, for a branch, `NNNNNNNNNN-NNN`."""
    raw = re.sub(r"\s", "", value or "")
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", raw)
    if not match:
        raise ValidationError(
            _("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với chi nhánh."), code="mst_format"
        )
    main, branch = match.groups()
    check = mst_check_digit(main[:9])
    if check is None or int(main[9]) != check:
        raise ValidationError(_("Mã số thuế không hợp lệ (sai chữ số kiểm tra)."), code="mst_checksum")
    if branch == "000":
        raise ValidationError(_("Mã chi nhánh (3 chữ số cuối) phải từ 001 trở lên."), code="mst_branch")
    return f"{main}-{branch}" if branch else main


def phone_normalise(value: str) -> str:
    """Return a Vietnamese mobile number as 0 and nine digits (accepts +84, 84 or 0, spaces and dots)."""
    raw = _SEPARATORS.sub("", value or "")
    if raw.startswith("+84"):
        national = raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        national = None
    if national is None or not re.fullmatch(r"\d{9}", national) or national[0] not in MOBILE_PREFIXES:
        raise ValidationError(
            _("Số điện thoại di động không hợp lệ (ví dụ: 0912 345 678 hoặc +84 912 345 678)."), code="phone"
        )
    return "0" + national
