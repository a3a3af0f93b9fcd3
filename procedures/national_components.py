"""Read the national "Thành phần hồ sơ" text as the law reads it: tables, cases, channels, and what each line asks.

The national portal flattens its tables into one string. Each table opens with a label and the column heading
"Tên giấy tờMẫu đơn, tờ khaiSố lượng"; the label says what the table holds ("* Giấy tờ phải nộp:", "* Giấy tờ
phải xuất trình:", "* Lưu ý:", a case "Trường hợp 1: …", or "--" for one more table, often the online channel's).
Each line ends with its quantity glued to it ("…theo mẫu1 bản chính", "0 bản chính,1 bản sao"); a line that asks
for no paper at all ("0 bản chính") is guidance, never an upload.

Notes stay rows of their own (role NOTE) rather than being glued to the paper above them: on the real data the
lines of a table are not kept in order (the note about the electronic birth certificate follows the power of
attorney), so attaching a note to its neighbour would put the guidance beside the wrong paper.

The text is untrusted input: every pattern here is linear (no nested quantifiers) and the text is capped.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace

from .components import lightest_mandatory_uploads
from .constants import Channel, ComponentRole
from .text import fold

HEAD = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
MAX_TEXT = 200_000  # the longest real text is 40 000 characters
MAX_ROWS = 300
NAME_MAX, CASE_MAX, CONDITION_MAX, FORM_MAX, NOTE_MAX = 500, 500, 500, 255, 4000
TOO_MANY_UPLOADS = 8  # more mandatory uploads than this on the lightest path: a clerk would ask fewer

# The quantity column: "1 bản chính" or "0 bản chính,1 bản sao". A number glued to the text before it
# ("…ngày 13/02/2026" + "1 bản chính" → "20261 bản chính") keeps its last digit as the quantity.
_QUANTITY_RE = re.compile(r"(\d{1,12}) bản chính(?:\s?,\s?(\d{1,3}) bản sao)?")
_FORM_EXT_RE = re.compile(r"\.(?:docx|doc|xlsx|xls|pdf|rar|zip)$", re.IGNORECASE)
_BULLETS = "-+*•\uf0d8\uf0fc\uf0b7\uf0a7\t –"
# An enumerator before a heading: "a)", "(1.1)", "1.", "II.", "1)".
_ENUMERATOR_RE = re.compile(r"^\(?(?:[a-zđ][0-9]?|[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}|[ivx]{1,5})[).:/]\s?")

# Labels of a table every dossier fills, and labels of a case ("Trường hợp 1…", "Đối với cấp lại", "Đăng ký
# thường trú vào chỗ ở do thuê…": the residence procedure's cases).
_GENERIC_LABELS = ("giay to phai nop", "cac giay to phai nop", "thanh phan ho so", "ho so gom", "bao gom",
                   "ho so bao gom", "theo quy dinh", "ho so ", "gom ", "cac giay to", "tai lieu", "mau don")
_CASE_OPENERS = ("truong hop", "doi voi", "trong truong hop", "cac truong hop", "nhom ", "dang ky ", "cap ")
_IDENTITY_WORDS = ("can cuoc", "ho chieu", "giay to tuy than", "cccd", "chung minh nhan dan", "dinh danh ca nhan")
# A line that tells the agency what to do, not the citizen what to bring.
_AGENCY_DUTY = ("co trach nhiem", "nguoi tiep nhan", "can bo tiep nhan", "khong duoc yeu cau", "duoc tao lap khi",
                "in trong qua trinh thu nhan")
_CONDITION_OPENERS = ("truong hop", "trong truong hop", "doi voi ", "neu ", "khi ")
# Where a condition's clause ends and its paper begins: "Trường hợp X thì phải có Y", "Trường hợp X phải có Y".
_CONDITION_SPLITS = ((" thi ",), (" phai co ", " phai nop ", " phai kem theo ", " phai gui kem "),
                     (" kem theo ", " nop them ", ": "))
_PAPER_LEADS = ("phai nop lai ", "phai nop them ", "phai co ", "phai nop ", "phai xuat trinh ", "phai kem theo ",
                "phai gui kem theo ", "kem theo ", "nop lai ", "nop them ", "nop ", "can co ", "co ", "bo sung ")
_AUTHORISATION_PAPERS = ("van ban uy quyen", "giay uy quyen", "hop dong uy quyen", "giay to uy quyen")
# "Các giấy tờ khác có liên quan": nothing a citizen can be refused for not bringing.
_OTHER_PAPERS = ("cac giay to khac", "cac tai lieu khac", "giay to khac", "tai lieu khac", "cac van ban khac")
# "Một trong những giấy tờ hợp pháp về đất đai … bao gồm: + Giấy chứng nhận …": the line is the paper; the
# national table often repeats the choices as lines of their own, which are then alternatives, not more papers.
_ONE_OF = ("mot trong nhung giay to", "mot trong cac giay to", "mot trong cac loai giay to", "mot trong nhung loai giay")
AUTHORISATION_CONDITION = "Trường hợp ủy quyền cho người khác thực hiện thủ tục"
REPRESENTATIVE_CONDITION = "Trường hợp người đại diện hợp pháp làm thủ tục thay (người chưa thành niên, mất năng lực hành vi…)"
# "Thông tin chứng minh về chỗ ở hợp pháp được khai thác trong căn cước điện tử…": the agency looks it up; the
# citizen brings papers only when it cannot.
LOOKED_UP_CONDITION = "Trường hợp cơ quan không khai thác được thông tin này từ cơ sở dữ liệu"
# "Trường hợp công dân chưa có thông tin … thì hồ sơ còn có Phiếu thu thập thông tin dân cư": a line that makes
# another line's paper conditional.
_MORE_PAPER = (" thi ho so con co ", " thi ho so phai co them ", " thi phai nop them ", " thi nop them ")


@dataclass
class ComponentRow:
    """One line of the national table as the portal will store it (a RequiredComponent without a procedure)."""

    name: str
    quantity: str = ""
    form_name: str = ""
    case: str = ""
    role: str = ComponentRole.UPLOAD
    condition: str = ""
    channel: str = ""
    asks_number: bool = False
    is_required: bool = True
    description: str = ""
    pk: int | None = None  # procedures.components reads it when a condition is ticked; never ticked here

    def key(self) -> tuple:
        """Rows are matched on this across imports: files already uploaded to a dossier point at them."""
        return (self.case, self.channel, self.role, self.name)


@dataclass
class ComponentReading:
    rows: list[ComponentRow] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    digest: str = ""


@dataclass
class _Table:
    """What a table's label says about its lines."""

    label: str
    role: str | None = None  # None: decided line by line
    known: bool = True  # False: a label the parser did not recognise (read as a table every dossier fills)
    case: str = ""
    condition: str = ""
    channel: str = ""


def source_digest(text: str) -> str:
    """Return the fingerprint of the national text: a re-import rewrites components only when it changes."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:32]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _strip_bullets(text: str) -> str:
    return text.strip().lstrip(_BULLETS).strip()


def _heading_key(label: str) -> str:
    """Return the label folded, without its bullets, enumerator and closing colon."""
    key = fold(_strip_bullets(label.replace("--", " "))).strip(" :.;")
    return _ENUMERATOR_RE.sub("", key, count=1).strip(" :.;")


def classify_table(label: str) -> _Table:
    """Read a table's label: its role, or the case, condition or channel its lines belong to."""
    text = _strip_bullets(label).strip()
    key = _heading_key(label)
    table = _Table(label=text)
    if not key:
        return table  # "--" or nothing: one more table, its lines decide for themselves
    if key.startswith(("luu y", "ghi chu", "chu y")):
        table.role = ComponentRole.NOTE
    elif "xuat trinh" in key[:60] and "phai nop" not in key[:60]:
        table.role = ComponentRole.SHOW
    elif key.startswith(_GENERIC_LABELS):
        table.role = ComponentRole.UPLOAD if "phai nop" in key[:40] else None
    elif "uy quyen" in key[:120] and key.startswith(("truong hop", "trong truong hop", "doi voi truong hop")):
        table.condition = text[:CONDITION_MAX].rstrip(" :")
    elif "moi truong dien tu" in key[:120] or "nop truc tuyen" in key[:120] or "ho so dien tu" in key[:120]:
        table.channel = Channel.COUNTER if "khong" in key[:120] else Channel.ONLINE
    elif key.startswith(_CASE_OPENERS) or _ENUMERATOR_RE.match(fold(_strip_bullets(label))):
        table.case = text[:CASE_MAX].rstrip(" :")
    else:
        table.known = False
    return table


def _quantities(part: str):
    """Yield (start, end, originals, copies, glued digits) of the real quantity cells of one table's text."""
    for match in _QUANTITY_RE.finditer(part):
        digits, after = match[1], part[match.end():match.end() + 2]
        before = part[match.start() - 1] if match.start() else ""
        if after[:1] == " " and after[1:2].isalpha():
            continue  # "01 bản chính văn bản đề nghị": the quantity is written inside a line, not its cell
        if after[:1] in (" ", ".", ",", ";", ")") and len(digits) == 2 and digits[0] == "0" and not before.isalnum():
            continue  # "…: 01 bản chính." inside a line
        glued = digits[:-1] if len(digits) > 1 else ""
        yield match.start(), match.end(), int(digits[-1]), int(match[2] or 0), glued


def _split_form_name(text: str) -> tuple[str, str]:
    """Split "Giấy đề nghị theo mẫu;TK 1.000321.docx" into the name and the form's file name."""
    ext = _FORM_EXT_RE.search(text[-200:])
    if not ext:
        return text, ""
    end = len(text) - min(len(text), 200) + ext.start()
    for index in range(end - 1, max(-1, end - 80), -1):
        following = text[index + 1] if index + 1 < len(text) else ""
        if text[index] in ";.)" and (following.isupper() or following == " " or (text[index] == ")" and following.isdigit())):
            name, form = text[:index + 1].rstrip(" ;"), text[index + 1:].strip()
            if name:
                return name, form
    return text, ""


def _channel_of(folded: str) -> list[str]:
    """Return the channels a line is limited to ("nếu … theo hình thức trực tuyến"), [""] when it names none."""
    online = "hinh thuc truc tuyen" in folded or "dien tu tuong tac" in folded or "nop ho so truc tuyen" in folded
    counter = "hinh thuc truc tiep" in folded or "nop truc tiep" in folded
    post = any(f"qua {way} buu chinh" in folded for way in ("he thong", "dich vu", "duong")) or "gui ho so qua buu" in folded
    if online and not (counter or post):
        return [Channel.ONLINE]
    if (counter or post) and not online:
        return [c for c, named in ((Channel.COUNTER, counter), (Channel.POST, post)) if named]
    return [""]


def _condition_of(name: str, folded: str) -> tuple[str, str]:
    """Return (condition, paper) of a line; ("", name) when the paper is asked of everyone.

    "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản…" → ("Trường hợp trẻ em bị bỏ rơi", "Biên bản…");
    "Văn bản ủy quyền … trong trường hợp ủy quyền …" → ("Trường hợp ủy quyền …", "Văn bản ủy quyền …").
    A line whose clause is an alternative ("Giấy chứng sinh; trường hợp không có … thì nộp …") stays mandatory.
    """
    if len(folded) != len(name):  # folding changed the length: positions would not match; keep it whole
        return "", name
    head = folded[:400]
    if head.startswith(_CONDITION_OPENERS):
        cut = next((min(found) for words in _CONDITION_SPLITS
                    if (found := [i for i in (head.find(word, 8) for word in words) if i > 0])), 0)
        if not cut:
            return name[:CONDITION_MAX].rstrip(" .;:"), name
        condition = name[:cut].strip(" ,;:")
        rest = name[cut:].strip()
        rest_folded = fold(rest)
        if rest_folded.startswith("thi "):
            rest, rest_folded = rest[4:].strip(), rest_folded[4:].lstrip()
        for lead in _PAPER_LEADS:
            if rest_folded.startswith(lead):
                rest = rest[len(lead):].strip()
                break
        rest = rest.lstrip(": ")
        if len(rest) < 4:
            return condition[:CONDITION_MAX], name
        return condition[:CONDITION_MAX], _capitalise(rest)
    first_clause = re.split(r"[;]|\. ", head, maxsplit=1)[0]
    for marker in (" trong truong hop ", " doi voi truong hop ", "(truong hop ", "(trong truong hop ", "(doi voi truong hop ",
                   " doi voi nguoi ", "(doi voi nguoi "):
        at = first_clause.find(marker)
        if at > 3:
            clause = name[at:].strip(" (")
            clause = re.split(r"[.;)]", clause, maxsplit=1)[0] if len(clause) < 2000 else clause[:400]
            paper = name[:at].rstrip(" ,;(")
            return _capitalise(clause.strip())[:CONDITION_MAX], paper
    if head.startswith(_AUTHORISATION_PAPERS):
        return AUTHORISATION_CONDITION, name
    if head.startswith("thong tin ") and ("duoc khai thac" in head[:300] or "co so du lieu" in head[:300]):
        return LOOKED_UP_CONDITION, name
    if "nguoi dai dien hop phap" in first_clause[:200] and head.startswith(("giay to", "ban sao", "van ban")):
        return REPRESENTATIVE_CONDITION, name
    return "", name


def _is_agency_duty(folded: str) -> bool:
    head = folded[:300]
    return any(phrase in head for phrase in _AGENCY_DUTY) and not head.startswith(("ban ", "giay ", "to khai", "don "))


def _row(raw: str, originals: int, copies: int, table: _Table) -> list[ComponentRow]:
    """Classify one line of a table; a line limited to counter and post gives one row per channel."""
    text = _strip_bullets(raw)
    if not text:
        return []
    name, form = _split_form_name(text)
    name = name[:NOTE_MAX]
    folded = fold(name)
    quantity = f"{originals} bản chính" + (f",{copies} bản sao" if copies else "")
    one_of = folded.startswith(_ONE_OF)
    optional = not one_of and ("neu co" in folded[:400] or folded.startswith(_OTHER_PAPERS))
    if (table.role == ComponentRole.NOTE or (originals == 0 and copies == 0) or _is_agency_duty(folded)
            or folded.startswith(("luu y", "ghi chu", "chu y:"))):
        role = ComponentRole.NOTE
    elif (table.role == ComponentRole.SHOW or folded.startswith("xuat trinh")
          or (folded.startswith("giay to") and "tai khoan dinh danh" in folded[:120])):
        role = ComponentRole.SHOW
    else:
        role = ComponentRole.UPLOAD
    condition, paper = ("", name) if role == ComponentRole.NOTE else _condition_of(name, folded)
    condition = condition or table.condition
    channels = [table.channel] if table.channel else _channel_of(folded)
    asks_number = role == ComponentRole.SHOW and any(word in folded[:160] for word in (*_IDENTITY_WORDS, "tai khoan dinh danh"))
    description = ""
    if len(paper) > NAME_MAX:  # the whole line stays readable as the description
        description, paper = paper, paper[:NAME_MAX - 1].rstrip() + "…"
    return [
        ComponentRow(name=paper, quantity=quantity, form_name=form[:FORM_MAX], case=table.case, role=role,
                     condition=condition[:CONDITION_MAX], channel=channel, asks_number=asks_number,
                     is_required=not optional, description=description)
        for channel in channels
    ]


def read_components(text: str) -> ComponentReading:
    """Return the rows of the flattened "Thành phần hồ sơ" tables and the doubts an operator should check."""
    text = (text or "").replace("\r", "")
    reading = ComponentReading(digest=source_digest(text))
    doubts = reading.doubts
    if len(text) > MAX_TEXT:
        doubts.append(f"nội dung dài quá {MAX_TEXT} ký tự, chỉ đọc phần đầu")
        text = text[:MAX_TEXT]
    if not text.strip():
        return reading
    parts = text.split(HEAD)
    if len(parts) == 1:
        doubts.append("không thấy bảng thành phần hồ sơ (thiếu dòng tiêu đề “Tên giấy tờ”), cả đoạn là một lưu ý")
        reading.rows.append(ComponentRow(name=_short(text.strip(), NAME_MAX), description=text.strip()[:NOTE_MAX],
                                         role=ComponentRole.NOTE))
        return reading
    tables = _read_tables(parts, doubts)
    _settle_cases(tables, doubts)
    _paper_declaration_offline(tables)
    _choices_of_one_of(tables)
    _conditions_stated_elsewhere(tables)
    cases = {table.case for table, _ in tables if table.case}
    if len(cases) == 1:
        _one_case_as_condition(tables)
    else:
        _conditions_as_cases(tables, doubts, has_cases=bool(cases))
    seen: set[tuple] = set()
    for table, rows in tables:
        if table.case and len(cases) > 1 and not any(r.role != ComponentRole.NOTE for r in rows):
            doubts.append(f"trường hợp “{_short(table.case)}” không có giấy tờ nào")
        for row in rows:
            row.name = row.name[:NAME_MAX]
            if row.key() in seen:
                continue  # the national table repeats some lines word for word
            seen.add(row.key())
            reading.rows.append(row)
    unsplit = [row for row in reading.rows if row.role != ComponentRole.NOTE and row.condition
               and row.condition[:60] == row.name[:60]]
    if unsplit:  # the fallback: the whole line is both the condition and the paper
        doubts.append(f"{len(unsplit)} dòng có điều kiện nhưng không tách được giấy tờ: “{_short(unsplit[0].name)}”")
    if len(reading.rows) > MAX_ROWS:
        doubts.append(f"hơn {MAX_ROWS} dòng, chỉ giữ {MAX_ROWS} dòng đầu")
        del reading.rows[MAX_ROWS:]
    _check(reading)
    return reading


def _read_tables(parts: list[str], doubts: list[str]) -> list[tuple[_Table, list[ComponentRow]]]:
    """Each table's rows, the text split at its heads: the text before a head labels the table after it."""
    tables: list[tuple[_Table, list[ComponentRow]]] = []
    read = 0
    label = parts[0]
    for index, part in enumerate(parts[1:], start=1):
        table = classify_table(label)
        rows: list[ComponentRow] = []
        start = 0
        for begin, end, originals, copies, glued in _quantities(part):
            rows += _row(part[start:begin] + glued, originals, copies, table)
            start = end
            if read + len(rows) >= MAX_ROWS:
                break
        tail = part[start:]
        if index < len(parts) - 1:
            label = tail
        elif _strip_bullets(tail):
            doubts.append(f"đoạn cuối không có số lượng, coi là lưu ý: “{_short(_strip_bullets(tail))}”")
            rows += _row(tail, 0, 0, table)
        tables.append((table, rows))
        read += len(rows)
        if len(tables) >= 60 or read >= MAX_ROWS:  # the passes below compare rows pairwise: keep them few
            doubts.append(f"quá nhiều bảng hoặc dòng, chỉ đọc {len(tables)} bảng, {read} dòng đầu")
            break
    return tables


def _one_case_as_condition(tables: list[tuple[_Table, list[ComponentRow]]]) -> None:
    """One case alone is not a choice between cases: its papers are asked only when it applies, unless it
    holds every paper of the procedure ("Trường hợp tổ chức phát hành đăng ký chào bán…" over the whole
    table): then it only names the procedure."""
    every = not any(r.is_required and r.role == ComponentRole.UPLOAD and not r.case and not r.condition
                    for _, rows in tables for r in rows)
    for _table, rows in tables:
        for row in rows:
            if row.case:
                row.condition = row.condition or ("" if every else row.case[:CONDITION_MAX])
                row.case = ""


def _papers(rows: list[ComponentRow]) -> set[str]:
    return {" ".join(fold(row.name)[:60].split())[:24] for row in rows if row.role == ComponentRole.UPLOAD}


def _settle_cases(tables: list[tuple[_Table, list[ComponentRow]]], doubts: list[str]) -> None:
    """Decide what the tables without a case are, once every table has been read.

    Among several cases, a table the parser could not name is one more case (the residence procedure's
    "Người được chăm sóc … đăng ký thường trú tại cơ sở trợ giúp xã hội"); a table whose papers every case
    repeats ("Tờ khai CT01" in each) is not common to them but the ordinary case itself (temporary residence:
    "Hồ sơ đăng ký tạm trú gồm", then "Đăng ký tạm trú theo danh sách", "… tại nơi đơn vị đóng quân").
    """
    unknown = [table for table, rows in tables if not table.known and not table.case and table.role is None and rows]
    several = len({table.case for table, _ in tables if table.case}) + len(unknown) >= 2
    if several:
        for table in unknown:
            table.case = (table.label.rstrip(" :") or "Trường hợp khác")[:CASE_MAX]
            doubts.append(f"tiêu đề bảng không nhận ra, coi là một trường hợp: “{_short(table.label)}”")
    case_tables = [(table, rows) for table, rows in tables if table.case]
    for table, rows in tables:
        if not table.case and not table.known:
            doubts.append(f"tiêu đề bảng không nhận ra, coi là bảng chung: “{_short(table.label)}”")
        if table.case or table.role in (ComponentRole.NOTE, ComponentRole.SHOW) or not rows or not several:
            continue
        if _papers(rows) and all(_papers(rows) & _papers(other) for _, other in case_tables):
            table.case = (table.label.rstrip(" :") or "Trường hợp thông thường")[:CASE_MAX]
    for table, rows in tables:
        for row in rows:
            row.case = table.case


def _paper_declaration_offline(tables: list[tuple[_Table, list[ComponentRow]]]) -> None:
    """Where the interactive e-form is listed for online dossiers, the paper declaration serves the others.

    The criminal-record procedure lists both "Tờ khai … Mẫu số 01" and "Tờ khai … điện tử tương tác, Mẫu số 04"
    with no channel said: online, the e-form replaces the paper one.
    """
    rows = [row for _, table_rows in tables for row in table_rows]
    eform_cases = {row.case for row in rows if row.channel == Channel.ONLINE and "tuong tac" in fold(row.name)}
    if not eform_cases:
        return
    for table, table_rows in tables:
        offline = []
        for row in table_rows:
            if (not row.channel and row.role == ComponentRole.UPLOAD and row.case in eform_cases
                    and fold(row.name).startswith(("to khai", "don ", "phieu ")) and "tuong tac" not in fold(row.name)):
                row.channel = Channel.COUNTER
                offline.append(replace(row, channel=Channel.POST))
        table_rows += offline


def _choices_of_one_of(tables: list[tuple[_Table, list[ComponentRow]]]) -> None:
    """A line that a "Một trong những giấy tờ…" line of its case already lists is one of the choices."""
    rows = [row for _, table_rows in tables for row in table_rows]
    lists = [(row.case, " ".join(fold(row.description or row.name).split())) for row in rows
             if fold(row.name).startswith(_ONE_OF)]
    if not lists:
        return
    for row in rows:
        head = " ".join(fold(row.name)[:80].split())[:40]
        if (row.role == ComponentRole.UPLOAD and not fold(row.name).startswith(_ONE_OF) and len(head) >= 20
                and any(case == row.case and head in text for case, text in lists)):
            row.is_required = False
            row.description = row.description or "Một trong các giấy tờ có thể nộp thay nhau (xem dòng “Một trong những giấy tờ…”)."


def _conditions_stated_elsewhere(tables: list[tuple[_Table, list[ComponentRow]]]) -> None:
    """Give a paper the condition another line states for it ("Trường hợp X thì hồ sơ còn có <paper>")."""
    rows = [row for _, table_rows in tables for row in table_rows]
    for source in rows:
        text = source.description or source.name
        folded = fold(text)
        if len(folded) != len(text):
            continue
        for marker in _MORE_PAPER:
            at = folded.find(marker)
            if at < 0:
                continue
            start = max(folded.rfind("truong hop", 0, at), folded.rfind("neu ", 0, at))
            paper = " ".join(folded[at + len(marker):at + len(marker) + 80].split())[:24]
            if start < 0 or len(paper) < 12:
                continue
            for row in rows:
                if row is not source and not row.condition and " ".join(fold(row.name).split()).startswith(paper):
                    row.condition = _capitalise(text[start:at].strip(" ,.;"))[:CONDITION_MAX]


_ADDITIVE = (AUTHORISATION_CONDITION, REPRESENTATIVE_CONDITION, LOOKED_UP_CONDITION)


def _conditions_as_cases(tables, doubts: list[str], *, has_cases: bool) -> None:
    """A procedure whose every paper hangs on one of several conditions offers a choice of cases.

    "Đối với trường hợp cấp lại …: Đơn …", "Đối với trường hợp điều chỉnh …: Đơn …", "Đối với trường hợp gia
    hạn …: Đơn …" with nothing asked of everyone: the citizen picks the one that applies. Conditions that only
    add a paper (authorisation, a representative, what the agency could not look up) stay conditions.
    """
    if has_cases:
        return
    rows = [row for _, table_rows in tables for row in table_rows]
    uploads = [row for row in rows if row.role == ComponentRole.UPLOAD and row.is_required]
    if not uploads or any(not row.condition for row in uploads):
        return
    alternatives = {row.condition for row in uploads if not row.condition.startswith(_ADDITIVE)
                    and "uy quyen" not in fold(row.condition)}
    if len(alternatives) < 2:
        return
    for row in rows:
        if row.condition in alternatives:
            row.case, row.condition = row.condition[:CASE_MAX], ""
    doubts.append(f"mọi giấy tờ đều có điều kiện: {len(alternatives)} điều kiện được coi là các trường hợp để chọn")


def _check(reading: ComponentReading) -> None:
    """Add the doubts that only the whole list shows."""
    rows = reading.rows
    if not rows:
        return
    lightest = lightest_mandatory_uploads(rows)
    if lightest > TOO_MANY_UPLOADS:
        reading.doubts.append(f"{lightest} giấy tờ bắt buộc tải lên ở trường hợp nhẹ nhất (quá {TOO_MANY_UPLOADS})")
    if lightest == 0 and any(r.role == ComponentRole.UPLOAD for r in rows):
        reading.doubts.append("trường hợp nhẹ nhất không có giấy tờ bắt buộc tải lên nào (mọi giấy tờ đều có điều kiện)")
    if not any(r.role in (ComponentRole.UPLOAD, ComponentRole.SHOW) for r in rows):
        reading.doubts.append("không có giấy tờ nào phải nộp hay xuất trình, chỉ có lưu ý")
