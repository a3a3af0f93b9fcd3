"""Reading the untidy text of the national procedures database: time and fee per channel, components
per case, legal documents, results. The inputs are copied from real records of the 2026 crawl."""

from decimal import Decimal

import pytest

from procedures.components import cases_of, lightest_mandatory_uploads
from procedures.national import (
    RecordRefused,
    channels_from_json,
    code_parts,
    parse_channels,
    parse_components,
    parse_legal_documents,
    parse_levels,
    parse_results,
    record_from_detail,
)
from procedures.national_components import read_components

HEAD = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def test_three_channels_with_the_same_time_and_no_fee():
    rows = parse_channels(HEAD + "Trực tuyến1 Ngày làm việcMiễn phíDịch vụ bưu chính1 Ngày làm việcMiễn phí"
                          "Trực tiếp1 Ngày làm việcMiễn phí")
    assert [(r.channel, r.time_value, r.time_unit, r.fee_amount) for r in rows] == [
        ("online", Decimal("1"), "Ngày làm việc", 0),
        ("post", Decimal("1"), "Ngày làm việc", 0),
        ("counter", Decimal("1"), "Ngày làm việc", 0),
    ]


def test_a_time_without_its_unit_keeps_the_number_and_no_unit():
    rows = parse_channels(HEAD + "Trực tuyến1Miễn phíTrực tiếp1Miễn phí")
    assert [(r.time_value, r.time_unit, r.fee_text) for r in rows] == [(Decimal("1"), "", "Miễn phí")] * 2


def test_prose_fee_with_its_note_and_the_description_after_it():
    rows = parse_channels(
        HEAD + "Trực tuyến5 Ngày làm việc200,000 VNĐ(200.000đ/lần cấp.)Dịch vụ bưu chính5 Ngày làm việc"
        "200,000 VNĐ(200.000đ/lần cấp.)Trực tiếp5 Ngày làm việc200,000 VNĐ(200.000đ/lần cấp.)Nộp tại trụ sở."
    )
    assert [r.fee_amount for r in rows] == [200_000] * 3
    assert rows[0].fee_text == "200,000 VNĐ (200.000đ/lần cấp.)"
    assert rows[2].description == "Nộp tại trụ sở."


def test_fees_differ_per_channel():
    rows = parse_channels(
        HEAD + "Trực tuyến3 Ngày làm việc25 VNĐ(25.000đ/giấy thông hành (áp dụng đến hết ngày 31/12/2026).)"
        "Trực tiếp3 Ngày làm việc50 VNĐ(50.000đ/giấy thông hành (Thông tư số 25/2021/TT-BTC).)"
    )
    # The portal states thousands ("25 VNĐ") while the note says 25.000đ: the note wins.
    assert [(r.channel, r.fee_amount) for r in rows] == [("online", 25_000), ("counter", 50_000)]


def test_free_of_charge_over_a_note_with_amounts_keeps_only_the_text():
    rows = parse_channels(HEAD + "Trực tuyến12 NgàyMiễn phí(Cho một loại hình sản phẩm: 8.000.000/lần; thêm "
                                 "một loại hình: 2.000.000/lần.)")
    assert rows[0].fee_amount is None and "8.000.000" in rows[0].fee_text
    assert (rows[0].time_value, rows[0].time_unit) == (Decimal("12"), "Ngày")


def test_foreign_currency_no_information_and_a_channel_word_inside_the_description():
    rows = parse_channels(
        HEAD + "Trực tuyến5 Ngày làm việc145 USD(Thẻ tạm trú: 145 USD/thẻ.)Trực tuyến: nộp qua Cổng."
        "Trực tiếpKhông có thông tinKhông có thông tinTrực tiếp tại Công an đơn vị."
    )
    assert [r.channel for r in rows] == ["online", "counter"]
    assert rows[0].fee_amount is None and rows[0].fee_text.startswith("145 USD")
    assert rows[0].description == "Trực tuyến: nộp qua Cổng."
    assert (rows[1].time_value, rows[1].fee_amount, rows[1].fee_text) == (None, None, "")
    assert rows[1].description == "Trực tiếp tại Công an đơn vị."


def test_the_list_exports_parsed_channel_column():
    rows = channels_from_json('[{"kenh": "Trực tiếp", "thoi_han": "1", "phi_le_phi": "Miễn phí"}, '
                              '{"kenh": "Trực tuyến", "thoi_han": "3 Ngày làm việc", "phi_le_phi": "500,000 Việt Nam Đồng"}]')
    assert [(r.channel, r.time_value, r.time_unit, r.fee_amount) for r in rows] == [
        ("counter", Decimal("1"), "", 0), ("online", Decimal("3"), "Ngày làm việc", 500_000)
    ]


def test_components_with_their_form_files_and_quantities():
    rows = parse_components(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy đề nghị đăng ký khai thác tuyến theo mẫu;TK 1.000321.docx1 bản chính"
        "- Phương án khai thác tuyến theo mẫu.TPHS 1.000321 (PA).docx1 bản chínhGiấy chứng nhận đăng ký xe ô tô"
        "0 bản chính,1 bản sao"
    )
    assert [(r.name, r.form_name, r.quantity, r.case) for r in rows] == [
        ("Giấy đề nghị đăng ký khai thác tuyến theo mẫu", "TK 1.000321.docx", "1 bản chính", ""),
        ("Phương án khai thác tuyến theo mẫu.", "TPHS 1.000321 (PA).docx", "1 bản chính", ""),
        ("Giấy chứng nhận đăng ký xe ô tô", "", "0 bản chính,1 bản sao", ""),
    ]


def test_components_by_table_papers_to_submit_to_show_and_notes():
    rows = parse_components(
        "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính"
        "* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngThẻ căn cước1 bản chínhTờ khai1 bản chính"
        "* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Người tiếp nhận kiểm tra bản chính.0 bản chính"
    )
    assert [(r.role, r.name, r.asks_number, r.case) for r in rows] == [
        ("upload", "Tờ khai", False, ""),
        ("show", "Thẻ căn cước", True, ""),
        ("show", "Tờ khai", False, ""),
        ("note", "Người tiếp nhận kiểm tra bản chính.", False, ""),
    ]


def test_legal_documents_tell_the_number_column_from_a_number_in_a_title():
    docs = parse_legal_documents(
        "Tên văn bản pháp lýMã văn bảnquy định về phân quyền, phân cấp của Bộ Xây dựng144/2025/NĐ-CP"
        "Quyết định 601/QĐ-BTC601/QĐ-BTCLuật54/2014/QH13"
    )
    assert docs == [
        {"title": "quy định về phân quyền, phân cấp của Bộ Xây dựng", "number": "144/2025/NĐ-CP"},
        {"title": "Quyết định 601/QĐ-BTC", "number": "601/QĐ-BTC"},
        {"title": "Luật", "number": "54/2014/QH13"},
    ]
    assert parse_legal_documents("Tên văn bản pháp lýMã văn bảnKhông có thông tin") == []


def test_results_with_their_codes_without_the_pages_widget():
    results = parse_results(
        "Quyết định chuyển hình thức giao đấtMã: KQ.G10.000870Giấy chứng nhận quyền sử dụng đất.Mã: KQ.G10.001148"
        "Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiện"
    )
    assert results == [
        {"name": "Quyết định chuyển hình thức giao đất", "code": "KQ.G10.000870"},
        {"name": "Giấy chứng nhận quyền sử dụng đất", "code": "KQ.G10.001148"},
    ]


def test_levels_of_2025():
    assert parse_levels("Cấp bộ, Cấp tỉnh, Cơ quan khác") == ["bo", "tinh", "khac"]
    assert parse_levels("Cấp huyện") == []


@pytest.mark.parametrize("raw, expected", [
    ("1.001193", ("1.001193", "")),
    ("1001193", ("1.001193", "")),
    ("1.004232.000.00.00.H34", ("1.004232", "1.004232.000.00.00.H34")),
    ("10042320000000H34", ("1.004232", "1.004232.000.00.00.H34")),
    ("2.000815.000.00.00.H55.02", ("2.000815", "2.000815.000.00.00.H55")),  # a public service of it
    ("1.00119", None),
    ("abc", None),
])
def test_every_written_form_of_a_code(raw, expected):
    assert code_parts(raw) == expected


def test_a_record_is_refused_with_its_reason():
    with pytest.raises(RecordRefused, match="không đúng dạng"):
        record_from_detail({"ma_thu_tuc": "1-001193", "ten_thu_tuc": "X", "linh_vuc": "Y"}, province="H34")
    with pytest.raises(RecordRefused, match="Thiếu tên"):
        record_from_detail({"ma_thu_tuc": "1.001193", "ten_thu_tuc": " ", "linh_vuc": "Y"}, province="H34")
    with pytest.raises(RecordRefused, match="tỉnh khác"):
        record_from_detail({"ma_thu_tuc": "1.001193.000.00.00.H55", "ten_thu_tuc": "X", "linh_vuc": "Y"},
                           province="H34")


def test_a_line_asking_no_paper_is_a_note_and_a_duty_of_the_agency_too():
    rows = parse_components(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng- Đơn đề nghị1 bản chính"
        "Trường hợp đã nộp bản điện tử thì không phải nộp bản giấy.0 bản chính"
        "- Cơ quan đăng ký có trách nhiệm tra cứu thông tin.1 bản chính"
    )
    assert [(r.role, r.is_required) for r in rows] == [("upload", True), ("note", True), ("note", True)]


def test_a_condition_is_split_from_the_paper_it_asks_and_optional_papers_are_not_required():
    rows = parse_components(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        "- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi.1 bản chính"
        "- Văn bản ủy quyền theo quy định trong trường hợp ủy quyền thực hiện việc đăng ký.1 bản chính"
        "- Giấy tờ chứng minh nơi cư trú (nếu có)0 bản chính,1 bản sao"
    )
    assert [(r.condition, r.name, r.is_required) for r in rows] == [
        ("Trường hợp trẻ em bị bỏ rơi", "Biên bản về việc trẻ bị bỏ rơi.", True),
        ("Trong trường hợp ủy quyền thực hiện việc đăng ký", "Văn bản ủy quyền theo quy định", True),
        ("", "Giấy tờ chứng minh nơi cư trú (nếu có)", False),
    ]


def test_a_second_table_names_its_channel_line_by_line():
    rows = parse_components(
        "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy chứng sinh1 bản chính"
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        "- Tờ khai theo mẫu (nếu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);"
        "1 bản chính- Mẫu hộ tịch điện tử tương tác (nếu lựa chọn nộp hồ sơ theo hình thức trực tuyến)1 bản chính"
    )
    assert [(r.channel, r.name[:8]) for r in rows] == [
        ("", "Giấy chứ"), ("counter", "Tờ khai "), ("post", "Tờ khai "), ("online", "Mẫu hộ t"),
    ]
    assert lightest_mandatory_uploads(rows) == 2


def test_cases_are_alternatives_and_a_lone_case_is_a_condition():
    two = parse_components(
        "a) Đối với cấp mới:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chínhẢnh1 bản chính"
        "b) Đối với cấp lại:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chính"
    )
    assert cases_of(two) == ["a) Đối với cấp mới", "b) Đối với cấp lại"]
    assert lightest_mandatory_uploads(two) == 1
    lone = parse_components(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chính"
        "Trường hợp doanh nghiệp xã hội:Tên giấy tờMẫu đơn, tờ khaiSố lượngCam kết1 bản chính"
    )
    assert cases_of(lone) == [] and [r.condition for r in lone] == ["", "Trường hợp doanh nghiệp xã hội"]


def test_a_number_glued_to_the_quantity_keeps_its_last_digit_and_a_quantity_inside_a_line_is_text():
    rows = parse_components(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngBáo cáo theo Nghị định ngày 13/02/20261 bản chính"
        "+ 01 bản chính văn bản đề nghị cấp thẻ.2 bản chính"
    )
    assert [(r.name, r.quantity) for r in rows] == [
        ("Báo cáo theo Nghị định ngày 13/02/2026", "1 bản chính"),
        ("01 bản chính văn bản đề nghị cấp thẻ.", "2 bản chính"),
    ]


def test_doubts_are_listed_for_the_operator():
    reading = read_components("Nộp đơn và ảnh.")
    assert reading.doubts and reading.rows[0].role == "note"
    many = read_components("--Tên giấy tờMẫu đơn, tờ khaiSố lượng" + "".join(f"Giấy {n}1 bản chính" for n in range(10)))
    assert any("10 giấy tờ bắt buộc" in doubt for doubt in many.doubts)
    assert read_components("--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chính").doubts == []


def test_a_hostile_text_is_read_in_bounded_time():
    import time

    started = time.perf_counter()
    read_components(("1" * 5000 + " bản chính" + "Trường hợp " * 2000 + "Tên giấy tờMẫu đơn, tờ khaiSố lượng") * 20)
    assert time.perf_counter() - started < 2


def test_conditions_with_nothing_asked_of_everyone_are_cases_and_a_lone_case_over_everything_names_the_procedure():
    renewals = read_components(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        "Đối với trường hợp cấp lại Giấy chứng nhận: Đơn đề nghị cấp lại1 bản chính"
        "Đối với trường hợp gia hạn Giấy chứng nhận: Đơn đề nghị gia hạn1 bản chính"
        "Văn bản ủy quyền1 bản chính"
    )
    assert cases_of(renewals.rows) == ["Đối với trường hợp cấp lại Giấy chứng nhận",
                                       "Đối với trường hợp gia hạn Giấy chứng nhận"]
    assert lightest_mandatory_uploads(renewals.rows) == 1 and renewals.doubts
    assert renewals.rows[-1].condition  # the power of attorney stays a condition
    whole = parse_components(
        "Trường hợp tổ chức phát hành đăng ký chào bán:Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy đăng ký1 bản chính"
        "Bản cáo bạch1 bản chính"
    )
    assert [(r.case, r.condition) for r in whole] == [("", ""), ("", "")] and lightest_mandatory_uploads(whole) == 2


def test_a_text_of_many_lines_stops_early_and_says_so():
    import time

    started = time.perf_counter()
    reading = read_components("--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
                              + "Trường hợp X thì hồ sơ còn có Giấy Y của người Z1 bản chính" * 15_000)
    assert time.perf_counter() - started < 3
    assert len(reading.rows) <= 300 and any("chỉ đọc" in doubt for doubt in reading.doubts)
