import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import CCCD_PROVINCE_CODES, cccd_normalise, mst_normalise, phone_normalise


def test_there_are_63_cccd_province_codes_with_kon_tum_062():
    assert len(CCCD_PROVINCE_CODES) == 63 and "062" in CCCD_PROVINCE_CODES and "003" not in CCCD_PROVINCE_CODES


@pytest.mark.parametrize(
    "number, born, gender",
    [
        ("062090123456", datetime.date(1990, 5, 17), "male"),  # 0 = man born in the 1900s
        ("001199000001", datetime.date(1999, 1, 1), "female"),  # 1 = woman, 1900s
        ("079200123456", datetime.date(2000, 12, 31), "male"),  # 2 = man, 2000s
        ("062301123456", datetime.date(2001, 3, 9), "female"),  # 3 = woman, 2000s
    ],
)
def test_cccd_consistent_with_birth_and_gender(number, born, gender):
    assert cccd_normalise(number, date_of_birth=born, gender=gender) == number


def test_cccd_spaces_are_ignored():
    assert cccd_normalise("062 090 123 456") == "062090123456"


@pytest.mark.parametrize(
    "number, code",
    [
        ("06209012345", "cccd_format"),  # 11 digits
        ("0620901234567", "cccd_format"),  # 13 digits
        ("06209012345a", "cccd_format"),
        ("", "cccd_format"),
        ("003090123456", "cccd_province"),  # 003 is no province
        ("099090123456", "cccd_province"),
    ],
)
def test_cccd_malformed(number, code):
    with pytest.raises(ValidationError) as error:
        cccd_normalise(number)
    assert error.value.code == code


@pytest.mark.parametrize(
    "number, born, gender, code",
    [
        ("062190123456", datetime.date(1990, 5, 17), "male", "cccd_century"),  # says woman
        ("062290123456", datetime.date(1990, 5, 17), "male", "cccd_century"),  # says 2000s
        ("062091123456", datetime.date(1990, 5, 17), "male", "cccd_year"),  # says 1991
        ("062001123456", datetime.date(2001, 3, 9), "female", "cccd_century"),
    ],
)
def test_cccd_inconsistent_with_birth_or_gender(number, born, gender, code):
    with pytest.raises(ValidationError) as error:
        cccd_normalise(number, date_of_birth=born, gender=gender)
    assert error.value.code == code
    assert "CCCD" in error.value.message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0100109106", "0100109106"),  # real tax codes (Viettel, Vinamilk, Vietcombank)
        ("0300588569", "0300588569"),
        ("0100112437", "0100112437"),
        ("0100109106-001", "0100109106-001"),  # a branch
        ("0100109106001", "0100109106-001"),
        (" 0300588569 - 012 ", "0300588569-012"),
    ],
)
def test_mst_valid(value, expected):
    assert mst_normalise(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("0100109107", "mst_checksum"),  # last digit changed
        ("6101234567", "mst_checksum"),
        ("010010910", "mst_format"),
        ("01001091060", "mst_format"),
        ("0100109106-01", "mst_format"),
        ("0100109106-000", "mst_branch"),
        ("abc", "mst_format"),
    ],
)
def test_mst_invalid(value, code):
    with pytest.raises(ValidationError) as error:
        mst_normalise(value)
    assert error.value.code == code


def test_mst_whose_check_would_be_ten_is_refused():
    # Nine zeros give a weighted sum of 0, so the check would be 10: no tenth digit can fit.
    for last in "0123456789":
        with pytest.raises(ValidationError):
            mst_normalise("000000000" + last)


@pytest.mark.parametrize(
    "value",
    ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "+84 912 345 678", "84912345678", "(091) 234-5678"],
)
def test_phone_formats_are_stored_as_0xxxxxxxxx(value):
    assert phone_normalise(value) == "0912345678"


@pytest.mark.parametrize("prefix", ["03", "05", "07", "08", "09"])
def test_every_mobile_prefix(prefix):
    assert phone_normalise(prefix + "12345678") == prefix + "12345678"


@pytest.mark.parametrize(
    "value", ["", "091234567", "09123456789", "0212345678", "0612345678", "+1 912 345 678", "09123abc78", "8491234567"]
)
def test_phone_invalid(value):
    with pytest.raises(ValidationError) as error:
        phone_normalise(value)
    assert error.value.code == "phone"
