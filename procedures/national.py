"""Read the records of the national procedures database (CSDL quốc gia về TTHC) into plain values.

The national portal's detail pages flatten their tables into text with no separators
("Trực tuyến1 Ngày làm việcMiễn phíDịch vụ bưu chính…"), and its list export is an Excel sheet with a
title block. Nothing here touches the database: procedures.imports turns these values into rows.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .constants import Channel, ImplementationLevel
from .national_components import ComponentReading, ComponentRow, read_components
from .text import fold

NO_INFO = "khong co thong tin"  # "Không có thông tin", folded
NATIONAL_CODE_RE = re.compile(r"^[0-9]\.[0-9]{6}$")
# Any form a citizen or a file may give: short (1.004232), local (…000.00.00.H34), public service (….02), no dots.
_CODE_FORMS = [
    (re.compile(r"^([0-9])\.?([0-9]{6})$"), None),
    (re.compile(r"^([0-9])\.?([0-9]{6})\.?([0-9]{3})\.?([0-9]{2})\.?([0-9]{2})\.?([A-Z][0-9]{2})(?:\.?[0-9]{2})?$"), 1),
]


def clean(text) -> str:
    """Return the text trimmed, or "" for the portal's "Không có thông tin" and similar blanks."""
    text = str(text or "").replace("\r", "").strip()
    if len(text) > 40:  # folding every long text would cost more than the whole import
        return text
    return "" if fold(text).strip(" .-") in {"", NO_INFO, "khong", "--"} else text


def code_parts(raw: str) -> tuple[str, str] | None:
    """Return (national code, local code or "") of any written form of a procedure code, or None."""
    value = "".join(str(raw or "").split()).upper()
    short = _CODE_FORMS[0][0].match(value)
    if short:
        return f"{short[1]}.{short[2]}", ""
    full = _CODE_FORMS[1][0].match(value)
    if full:
        national = f"{full[1]}.{full[2]}"
        return national, f"{national}.{full[3]}.{full[4]}.{full[5]}.{full[6]}"
    return None


def local_code(national: str, province: str) -> str:
    """Return the province's code of a national procedure: 1.004232 → 1.004232.000.00.00.H34."""
    return f"{national}.000.00.00.{province}"


def parse_levels(text: str) -> list[str]:
    """Return the level keys of "Cấp bộ, Cấp tỉnh, Cơ quan khác" (unknown parts are left out)."""
    by_label = {fold(str(label)): key for key, label in ImplementationLevel.choices}
    found = {by_label.get(fold(part).strip()) for part in re.split(r"[,;|\n]", text or "")}
    return [key for key in ImplementationLevel.values if key in found]


# --- processing time and fees per channel ---------------------------------------------------------

CHANNEL_NAMES = {str(label): key for key, label in Channel.choices}
_CHANNEL_HEAD = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_CHANNEL_RE = re.compile(
    r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\s*(?:\d|Không có thông tin))"
)
_TIME_RE = re.compile(
    r"\s*(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Giờ làm việc|Ngày|Giờ|Tháng|Năm|Tuần|Phút)?", re.IGNORECASE
)
_MONEY_RE = re.compile(r"\s*([\d][\d.,]*)\s*(Việt Nam Đồng|VNĐ|VND|đồng|đ|USD)", re.IGNORECASE)
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+")
_VND_IN_NOTE = re.compile(r"(\d{1,3}(?:[.,]\d{3})+)\s*(?:đồng|đ|VNĐ|VND)", re.IGNORECASE)


@dataclass
class ChannelRow:
    channel: str
    time_value: Decimal | None = None
    time_unit: str = ""
    fee_amount: int | None = None
    fee_text: str = ""
    description: str = ""


def parse_time(text: str) -> tuple[Decimal | None, str, str]:
    """Return (value, unit, rest) of "15 Ngày làm việc…"; the unit is "" when the source omits it."""
    if fold(text[:40]).lstrip().startswith(NO_INFO):
        return None, "", text.lstrip()[len(NO_INFO):]
    match = _TIME_RE.match(text)
    if not match:
        return None, "", text
    try:
        value = Decimal(match[1].replace(",", "."))
    except InvalidOperation:
        return None, "", text
    unit = match[2] or ""
    return value, unit[:1].upper() + unit[1:].lower() if unit else "", text[match.end():]


def _amount(number: str) -> int | None:
    digits = re.sub(r"[.,]", "", number)
    return int(digits) if digits.isdigit() else None


def parse_fee(text: str) -> tuple[int | None, str, str]:
    """Return (amount in VND or None, the fee as written, rest) of the fee column and its note.

    "Miễn phí" is 0. An amount in another currency (USD) keeps only its text. The national portal
    sometimes states thousands ("135 VNĐ") while its note says "135.000 đồng": the note wins then.
    """
    stripped = text.lstrip()
    head = fold(stripped[:40])
    amount, shown = None, ""
    if head.startswith("mien phi"):
        amount, shown, rest = 0, stripped[:8], stripped[8:]
    elif head.startswith(NO_INFO):
        rest = stripped[len(NO_INFO):]
    elif (money := _MONEY_RE.match(stripped)) is not None:
        currency = fold(money[2])
        amount = _amount(money[1]) if currency != "usd" else None
        shown, rest = money[0].strip(), stripped[money.end():]
    elif head.startswith("vnd"):  # a currency with no amount
        shown, rest = stripped[:3], stripped[3:]
    else:
        rest = stripped
    note, rest = _leading_parenthesis(rest)
    if note:
        shown = f"{shown} ({note})".strip() if shown else note
        if amount == 0 and _GROUPED_NUMBER.search(note):
            amount = None  # "Miễn phí" over a note that states amounts: the text is all we know
        elif amount is not None and 0 < amount < 1000:
            for found in _VND_IN_NOTE.findall(note):
                value = _amount(found)
                if value and str(value).startswith(str(amount)):
                    amount = value
                    break
    return amount, shown, rest


def _leading_parenthesis(text: str) -> tuple[str, str]:
    """Split "(note (nested))rest" into ("note (nested)", "rest"); no parenthesis: ("", text)."""
    if not text.startswith("("):
        return "", text
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return text[1:index].strip(), text[index + 1:]
    return text[1:].strip(), ""


def parse_channels(text: str) -> list[ChannelRow]:
    """Return the rows of the flattened "Cách thức thực hiện" table, in the order given."""
    body = (text or "").replace(_CHANNEL_HEAD, "", 1)
    pieces = _CHANNEL_RE.split(body)
    rows = []
    for name, chunk in zip(pieces[1::2], pieces[2::2]):
        value, unit, rest = parse_time(chunk)
        amount, fee_text, rest = parse_fee(rest)
        rows.append(ChannelRow(channel=CHANNEL_NAMES[name], time_value=value, time_unit=unit, fee_amount=amount,
                               fee_text=fee_text, description=clean(rest)))
    return rows


def channels_from_json(text: str) -> list[ChannelRow]:
    """Return the rows of the list export's parsed column: [{"kenh", "thoi_han", "phi_le_phi"}]."""
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return []
    rows = []
    for item in items if isinstance(items, list) else []:
        channel = CHANNEL_NAMES.get(str(item.get("kenh", "")).strip())
        if channel is None:
            continue
        value, unit, _ = parse_time(str(item.get("thoi_han", "")))
        amount, fee_text, rest = parse_fee(str(item.get("phi_le_phi", "")))
        rows.append(ChannelRow(channel=channel, time_value=value, time_unit=unit, fee_amount=amount,
                               fee_text=fee_text or clean(rest), description=""))
    return rows


# --- components, legal basis, results -------------------------------------------------------------

def parse_components(text: str) -> list[ComponentRow]:
    """Return the components of the flattened "Thành phần hồ sơ" tables (see procedures.national_components)."""
    return read_components(text).rows


_LEGAL_HEAD = "Tên văn bản pháp lýMã văn bản"
_DOC_NUMBER_RE = re.compile(
    r"\d+[a-zA-Z]?/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9\-]*?(?=[A-ZĐ][a-zà-ỹđ]|\d+/|\s|$)"
)


def parse_legal_documents(text: str) -> list[dict]:
    """Return [{"title", "number"}] of the flattened "Căn cứ pháp lý" table.

    The number column follows its title with no space ("…Luật Đất đai102/2024/NĐ-CP"), while a number
    cited inside a title follows a space: that tells them apart.
    """
    body = clean((text or "").replace(_LEGAL_HEAD, "", 1))
    documents, start = [], 0
    for match in _DOC_NUMBER_RE.finditer(body):
        if match.start() > 0 and not body[match.start() - 1].isspace():
            title = body[start:match.start()].strip(" .;,")
            documents.append({"title": title[:500], "number": match[0]})
            start = match.end()
    leftover = body[start:].strip(" .;,")
    if clean(leftover):
        documents.append({"title": leftover[:500], "number": ""})
    return documents


_RESULT_CODE_RE = re.compile(r"Mã:\s*(KQ\.[A-Z0-9]+\.[0-9]+)")
_RESULT_END = ("Từ khóa", "Chọn cơ quan thực hiện")


def parse_results(text: str) -> list[dict]:
    """Return [{"name", "code"}] of "Kết quả thực hiện"; the page's search widget text is dropped."""
    body = text or ""
    for marker in _RESULT_END:
        body = body.split(marker, 1)[0]
    results, start = [], 0
    for match in _RESULT_CODE_RE.finditer(body):
        name = body[start:match.start()].strip(" .;")
        results.append({"name": name, "code": match[1]})
        start = match.end()
    if clean(body[start:]):
        results.append({"name": body[start:].strip(" .;"), "code": ""})
    return results


def result_codes(text: str) -> list[str]:
    """Return the KQ.… codes of the list export's column ("KQ.G19.000492 | KQ.G19.000493")."""
    return re.findall(r"KQ\.[A-Z0-9]+\.[0-9]+", text or "")


# --- one record ---------------------------------------------------------------------------------------

@dataclass
class NationalRecord:
    """One procedure as the national database describes it; None means "not in this source"."""

    national_code: str
    local_code: str
    name: str
    field_name: str
    implementing: str | None = None
    competent: str | None = None
    receiving_address: str | None = None
    decision_number: str | None = None
    procedure_type: str | None = None
    levels: list[str] | None = None
    target_groups: str | None = None
    steps: str | None = None
    conditions: str | None = None
    legal_basis: str | None = None
    legal_documents: list[dict] | None = None
    result: str | None = None
    result_documents: list[dict] | None = None
    channels: list[ChannelRow] | None = None
    components: list[ComponentRow] | None = None
    # The parser's doubts and the text's fingerprint, set with `components`.
    component_doubts: list[str] = field(default_factory=list)
    component_digest: str = ""
    source_url: str | None = None
    problems: list[str] = field(default_factory=list)


class RecordRefused(ValueError):
    """The record cannot be imported; the message says why, in Vietnamese."""


def _text_or_none(record: dict, key: str) -> str | None:
    return clean(record[key]) if key in record and record[key] is not None else None


def record_from_detail(record: dict, *, province: str) -> NationalRecord:
    """Read one detail record (a line of tthc_all.jsonl) or one row of the list export."""
    national, local = _record_codes(record, province=province)
    name = clean(record.get("ten_thu_tuc"))
    if not name:
        raise RecordRefused("Thiếu tên thủ tục.")
    if len(name) > 1500:
        raise RecordRefused("Tên thủ tục dài quá 1 500 ký tự.")
    field_name = clean(record.get("linh_vuc"))
    if not field_name:
        raise RecordRefused("Thiếu lĩnh vực.")
    implementing = _text_or_none(record, "co_quan_thuc_hien")
    if implementing is None and "co_quan_thuc_hien_list" in record:
        implementing = clean(str(record["co_quan_thuc_hien_list"]).replace(" | ", "\n"))
    out = NationalRecord(
        national_code=national,
        local_code=local or local_code(national, province),
        name=name,
        field_name=field_name[:255],
        implementing=implementing,
        competent=_text_or_none(record, "co_quan_co_tham_quyen"),
        receiving_address=_text_or_none(record, "dia_chi_tiep_nhan"),
        decision_number=_text_or_none(record, "so_quyet_dinh"),
        procedure_type=_text_or_none(record, "loai_thu_tuc"),
        target_groups=_text_or_none(record, "doi_tuong_thuc_hien"),
        steps=_text_or_none(record, "trinh_tu_thuc_hien"),
        conditions=_text_or_none(record, "yeu_cau_dieu_kien"),
        source_url=_text_or_none(record, "detail_url"),
    )
    _read_details(out, record)
    return out


def _record_codes(record: dict, *, province: str) -> tuple[str, str]:
    """The record's national code and its code in this province (blank when the record has none)."""
    raw_code = str(record.get("ma_thu_tuc") or "").strip()
    parts = code_parts(raw_code)
    if parts is None:
        raise RecordRefused(f"Mã thủ tục “{raw_code}” không đúng dạng mã quốc gia (ví dụ 1.004232)." if raw_code
                            else "Thiếu mã thủ tục.")
    national, local = parts
    if local and not local.endswith(f".{province}"):
        raise RecordRefused(f"Mã {local} thuộc tỉnh khác (mã tỉnh của Cổng là {province}).")
    return national, local


def _read_details(out: NationalRecord, record: dict) -> None:
    """The record's parts each export may leave out (levels, legal basis, results, channels, components), read
    into `out` when the record has them (None otherwise: "not in this source")."""
    if "cap_thuc_hien" in record:
        out.levels = parse_levels(record["cap_thuc_hien"])
        if clean(record["cap_thuc_hien"]) and not out.levels:
            out.problems.append(f"không rõ cấp thực hiện “{record['cap_thuc_hien']}”")
    if "can_cu_phap_ly" in record:
        out.legal_documents = parse_legal_documents(record["can_cu_phap_ly"])
        out.legal_basis = "\n".join(
            f"{doc['title']} ({doc['number']})" if doc["number"] and doc["number"] not in doc["title"]
            else doc["title"] or doc["number"]
            for doc in out.legal_documents
        )
    if "ket_qua_xu_ly" in record:
        out.result_documents = parse_results(record["ket_qua_xu_ly"])
        out.result = "\n".join(doc["name"] for doc in out.result_documents if doc["name"])
    elif "ma_ket_qua" in record:
        out.result_documents = [{"name": "", "code": code} for code in result_codes(record["ma_ket_qua"])]
    if "cach_thuc_thuc_hien" in record:
        out.channels = parse_channels(record["cach_thuc_thuc_hien"])
    elif "kenh_thoi_han_phi" in record:
        out.channels = channels_from_json(record["kenh_thoi_han_phi"])
    if out.channels is not None and not out.channels and clean(record.get("cach_thuc_thuc_hien")):
        out.problems.append("không đọc được cách thức thực hiện")
    if "thanh_phan_ho_so" in record:
        reading: ComponentReading = read_components(record["thanh_phan_ho_so"])
        out.components, out.component_doubts, out.component_digest = reading.rows, reading.doubts, reading.digest


# The list export's header (row 2) names its columns in Vietnamese; the CSV sample uses field names.
LIST_HEADERS = {
    "ma so": "ma_thu_tuc", "ma thu tuc": "ma_thu_tuc", "ma tthc": "ma_thu_tuc",
    "ten": "ten_thu_tuc", "ten thu tuc": "ten_thu_tuc", "ten tthc": "ten_thu_tuc",
    "co quan ban hanh": "co_quan_ban_hanh",
    "co quan thuc hien": "co_quan_thuc_hien_list",
    "linh vuc": "linh_vuc",
    "cap thuc hien": "cap_thuc_hien",
    "loai thu tuc": "loai_thu_tuc",
    "so quyet dinh": "so_quyet_dinh",
    "doi tuong thuc hien": "doi_tuong_thuc_hien",
    "co quan co tham quyen": "co_quan_co_tham_quyen",
}


def header_key(label) -> str | None:
    """Return the record key of a list-export column header (Vietnamese label or field name)."""
    text = str(label or "").strip()
    if re.fullmatch(r"[a-z_]+", text):
        return text
    return LIST_HEADERS.get(" ".join(fold(text).replace("_", " ").split()))
