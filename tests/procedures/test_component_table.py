"""Thirty common procedures read by hand from the national text, and what the parser must make of them.

For each: the mandatory uploads a clerk would ask online on the lightest path (the lightest case, no
condition ticked — procedures.components.lightest_mandatory_uploads), the number of cases the citizen chooses
between, and a few named papers with the role the law gives them. The numbers were written from reading the
national "Thành phần hồ sơ" text of each record first, then the parser was made to reach them; where it does
not, the expectation says what the parser reads and the doubt that puts it on the operator's review list.
"""

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache

import pytest

from procedures.components import cases_of, lightest_mandatory_uploads, mandatory_uploads
from procedures.constants import Channel, ComponentRole
from procedures.national_components import read_components

from .national_data import data_dir

UPLOAD, SHOW, NOTE = ComponentRole.UPLOAD, ComponentRole.SHOW, ComponentRole.NOTE


@lru_cache(maxsize=1)
def national_texts() -> dict[str, str]:
    with gzip.open(data_dir() / "tthc_all.jsonl.gz", "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream if line.strip()]
    return {r["ma_thu_tuc"]: r.get("thanh_phan_ho_so") or "" for r in records}


@dataclass
class Expect:
    code: str
    what: str
    lightest: int
    cases: int = 0
    upload: list[str] = field(default_factory=list)  # mandatory uploads asked online with no condition ticked
    conditional: list[str] = field(default_factory=list)  # uploads asked only when the citizen ticks a condition
    show: list[str] = field(default_factory=list)  # shown at the counter; * = its number typed online
    note: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    offline: list[str] = field(default_factory=list)  # uploads of the counter and post channels only
    doubt: str = ""  # a doubt the operator's review list must show


CIVIL_ID = "*Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước"
RECEIVER_DUTY = "Người tiếp nhận có trách nhiệm tiếp nhận đúng, đủ hồ sơ"

TABLE = [
    # Hộ tịch: the interactive e-form online replaces the paper declaration; identity is shown, its number typed.
    Expect("1.001193", "đăng ký khai sinh", 2, upload=["Giấy chứng sinh", "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh"],
           conditional=["Biên bản về việc trẻ bị bỏ rơi", "Văn bản ủy quyền", "Văn bản xác nhận của cơ sở y tế đã thực hiện"],
           show=[CIVIL_ID, "Giấy tờ có giá trị chứng minh thông tin về cư trú"], note=[RECEIVER_DUTY],
           offline=["Tờ khai đăng ký khai sinh theo mẫu"]),
    Expect("1.000894", "đăng ký kết hôn", 1, upload=["Mẫu hộ tịch điện tử tương tác đăng ký kết hôn"], show=[CIVIL_ID],
           note=[RECEIVER_DUTY], offline=["Tờ khai đăng ký kết hôn theo mẫu"]),
    Expect("1.004873", "cấp Giấy xác nhận tình trạng hôn nhân", 1,
           upload=["Mẫu điện tử tương tác cấp Giấy xác nhận tình trạng hôn nhân"],
           conditional=["Văn bản ủy quyền theo quy định của pháp luật"], show=[CIVIL_ID],
           offline=["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"]),
    Expect("1.000656", "đăng ký khai tử", 2, upload=["Giấy báo tử", "Mẫu hộ tịch điện tử tương tác đăng ký khai tử"],
           show=[CIVIL_ID], offline=["Tờ khai đăng ký khai tử theo mẫu"]),
    Expect("1.001022", "đăng ký nhận cha, mẹ, con", 2,
           upload=["Văn bản của cơ quan y tế, cơ quan giám định", "Mẫu hộ tịch điện tử tương tác đăng ký nhận cha, mẹ, con"],
           show=[CIVIL_ID]),
    Expect("1.004859", "thay đổi, cải chính, bổ sung thông tin hộ tịch", 2,
           upload=["Giấy tờ làm căn cứ thay đổi, cải chính", "Mẫu hộ tịch điện tử tương tác"], show=[CIVIL_ID]),
    Expect("1.004884", "đăng ký lại khai sinh", 2,
           upload=["Bản sao Giấy khai sinh do cơ quan có thẩm quyền", "Mẫu hộ tịch điện tử tương tác đăng ký lại khai sinh"],
           show=[CIVIL_ID]),
    Expect("2.000635", "cấp bản sao trích lục hộ tịch", 1, upload=["Mẫu điện tử tương tác yêu cầu cấp bản sao"],
           show=[CIVIL_ID]),
    Expect("1.004746", "đăng ký lại kết hôn", 2,
           upload=["Bản sao Giấy chứng nhận kết hôn được cấp trước đây", "Mẫu hộ tịch điện tử tương tác đăng ký lại kết hôn"],
           show=[CIVIL_ID], offline=["Tờ khai đăng ký lại kết hôn theo mẫu"]),
    # Both declarations are listed with no channel: the national text asks them both.
    Expect("1.000689", "khai sinh kết hợp nhận cha, mẹ, con", 4,
           upload=["Bản chính Giấy chứng sinh", "Tờ khai đăng ký nhận cha, mẹ, con", "Tờ khai đăng ký khai sinh theo mẫu",
                   "Văn bản của cơ quan y tế"], show=[CIVIL_ID]),
    # Cư trú: what the agency looks up in the databases is asked only when it cannot.
    # One of its six cases lists only what the agency looks up (no declaration), so that case asks nothing: the
    # parser cannot know the declaration is meant, and says so — the operator's review list carries it.
    Expect("1.004222", "đăng ký thường trú", 0, cases=6, upload=["Tờ khai thay đổi thông tin cư trú"],
           doubt="trường hợp nhẹ nhất không có giấy tờ bắt buộc"),
    Expect("1.004194", "đăng ký tạm trú", 1, cases=3, upload=["Tờ khai thay đổi thông tin cư trú (Mẫu CT01"],
           conditional=["Thông tin chứng minh về chỗ ở hợp pháp"]),
    Expect("1.003197", "xóa đăng ký thường trú", 1, upload=["Tờ khai thay đổi thông tin cư trú"],
           conditional=["Thông tin chứng minh thuộc trường hợp xóa đăng ký thường trú"]),
    Expect("1.010028", "xóa đăng ký tạm trú", 1, upload=["Tờ khai thay đổi thông tin cư trú"]),
    Expect("1.002755", "gia hạn tạm trú", 1, cases=3, upload=["Tờ khai thay đổi thông tin cư trú"]),
    # Căn cước, hộ chiếu, xe, giấy phép lái xe, lý lịch tư pháp.
    Expect("1.014061", "cấp thẻ căn cước từ đủ 14 tuổi", 1, upload=["Phiếu đề nghị giải quyết thủ tục về căn cước"],
           conditional=["Phiếu thu thập thông tin dân cư"], note=["Phiếu CC01 được tạo lập"]),
    Expect("1.014064", "cấp lại thẻ căn cước", 1, upload=["Phiếu đề nghị giải quyết thủ tục về căn cước"],
           conditional=["Giấy tờ, tài liệu có giá trị pháp lý chứng minh là người đại diện hợp pháp"]),
    Expect("1.001456", "cấp hộ chiếu phổ thông ở trong nước", 2,
           upload=["Tờ khai đề nghị cấp hộ chiếu phổ thông", "Ảnh mới chụp không quá 06 tháng"],
           conditional=["Hộ chiếu phổ thông cấp lần gần nhất", "Bản sao giấy khai sinh hoặc trích lục"],
           note=["Trường hợp nộp hồ sơ trực tuyến thì thành phần hồ sơ phải được chứng thực"]),
    Expect("1.013080", "cấp lại chứng nhận đăng ký xe", 1, upload=["Giấy khai đăng ký xe"], show=["*Giấy tờ của chủ xe"]),
    Expect("3.000348", "cấp lại giấy phép lái xe", 2,
           upload=["Đề nghị đổi giấy phép lái xe", "Giấy khám sức khỏe của người lái xe"],
           conditional=["Hộ chiếu còn thời hạn sử dụng"], optional=["Các giấy tờ khác thể hiện thông tin"]),
    Expect("3.000333", "cấp Phiếu lý lịch tư pháp", 2,
           upload=["Bản sao Thẻ Căn cước", "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp điện tử tương tác (Dùng cho cá nhân có"],
           optional=["Các giấy tờ để chứng minh đối tượng miễn"],
           offline=["Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Dùng cho cá nhân có yêu cầu"]),
    # Chứng thực: done in person; the signature procedure has nothing to upload.
    Expect("2.000815", "chứng thực bản sao từ bản chính", 1, upload=["Bản chính giấy tờ, văn bản làm cơ sở"]),
    Expect("2.000884", "chứng thực chữ ký", 0, show=["*Một trong các giấy tờ sau: Căn cước điện tử",
                                                       "Giấy tờ, văn bản mà mình sẽ yêu cầu chứng thực chữ ký"]),
    # Đăng ký kinh doanh: every authorisation paper is conditional; the e-ID replaces the identity copy.
    Expect("1.001612", "đăng ký thành lập hộ kinh doanh", 1, upload=["Giấy đề nghị đăng ký hộ kinh doanh"],
           conditional=["Hồ sơ đăng ký hộ kinh doanh phải kèm theo bản sao thẻ Căn cước"]),
    Expect("1.001266", "chấm dứt hoạt động hộ kinh doanh", 1, upload=["Thông báo chấm dứt hoạt động hộ kinh doanh"],
           conditional=["Biên bản họp nhóm cá nhân"]),
    Expect("2.001583", "đăng ký thành lập công ty TNHH một thành viên", 3, cases=5,
           upload=["Giấy đề nghị đăng ký doanh nghiệp", "Điều lệ công ty", "Bản sao các giấy tờ sau đây"]),
    Expect("2.001610", "đăng ký thành lập doanh nghiệp tư nhân", 2, cases=4,
           upload=["Giấy đề nghị đăng ký doanh nghiệp", "Bản sao giấy tờ pháp lý của cá nhân đối với chủ"]),
    # Đất đai.
    Expect("1.012784", "tách thửa hoặc hợp thửa đất", 3,
           upload=["(1) Đơn đề nghị tách thửa đất", "(3) Giấy chứng nhận đã cấp", "(5) Bản vẽ tách thửa đất"],
           optional=["(4) Các văn bản của cơ quan có thẩm quyền"]),
    Expect("1.012783", "cấp đổi Giấy chứng nhận quyền sử dụng đất", 2,
           upload=["(1) Đơn đăng ký biến động đất đai", "(2) Bản gốc Giấy chứng nhận đã cấp"],
           conditional=["(3) Mảnh trích đo bản đồ địa chính"]),
    # Xây dựng: seven kinds of works, one case each; the land titles are choices of "Một trong những giấy tờ…".
    # The national table of (1.1) lists no drawings: the lightest case asks the application and the land paper.
    Expect("1.013225", "cấp giấy phép xây dựng mới công trình cấp III, IV", 2, cases=7,
           upload=["Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1",
                   "Một trong những giấy tờ hợp pháp về đất đai"],
           optional=["Giấy chứng nhận quyền sở hữu nhà ở và quyền sử dụng đất ở"]),
    Expect("1.013229", "cấp giấy phép xây dựng sửa chữa, cải tạo công trình cấp III, IV", 3, cases=7,
           upload=["Một trong những giấy tờ hợp pháp về đất đai"]),
]


def _named(rows, prefix: str):
    found = [row for row in rows if " ".join(row.name.split()).startswith(prefix)]
    assert found, f"no line starts with “{prefix}”: {[row.name[:60] for row in rows]}"
    return found


@pytest.mark.parametrize("expect", TABLE, ids=lambda e: f"{e.code}-{e.what}")
def test_the_procedure_asks_what_a_clerk_would(expect: Expect):
    reading = read_components(national_texts()[expect.code])
    rows = reading.rows
    if expect.doubt:
        assert any(expect.doubt in doubt for doubt in reading.doubts), reading.doubts
    assert lightest_mandatory_uploads(rows) == expect.lightest
    assert len(cases_of(rows)) == expect.cases
    lightest_case = min(cases_of(rows) or [""], key=lambda case: len(mandatory_uploads(rows, case=case)))
    asked = mandatory_uploads(rows, case=lightest_case) if not expect.cases else [
        row for case in cases_of(rows) or [""] for row in mandatory_uploads(rows, case=case)]
    for prefix in expect.upload:
        assert any(row in asked for row in _named(rows, prefix)), prefix
    for prefix in expect.conditional:
        assert all(row.role == UPLOAD and row.condition for row in _named(rows, prefix)), prefix
    for prefix in expect.show:
        typed = prefix.startswith("*")
        for row in _named(rows, prefix.lstrip("*")):
            assert (row.role, row.asks_number) == (SHOW, typed), prefix
    for prefix in expect.note:
        assert all(row.role == NOTE for row in _named(rows, prefix)), prefix
    for prefix in expect.optional:
        assert all(row.role == UPLOAD and not row.is_required for row in _named(rows, prefix)), prefix
    for prefix in expect.offline:
        assert {row.channel for row in _named(rows, prefix)} <= {Channel.COUNTER, Channel.POST}, prefix


def test_the_table_covers_thirty_procedures():
    assert len(TABLE) >= 30 and len({getattr(e, "values", [e])[0].code for e in TABLE}) == len(TABLE)
