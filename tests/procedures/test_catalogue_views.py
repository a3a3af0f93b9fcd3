import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.models import Procedure
from procedures.services import catalogue_rows_saved
from tests.factories.procedures import AgencyFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

WATER = "1.004232.000.00.00.H34"


@pytest.fixture
def water_procedure():
    agency = AgencyFactory(code="000.00.21.H34", name="Sở Tài nguyên và Môi trường", phone="0260.3916028")
    field = FieldFactory(code="TNN", name="Tài nguyên nước")
    return ProcedureFactory.with_components(
        code=WATER,
        field=field,
        agencies=[agency],
        name="Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm",
        fees=(("le_phi", "Lệ phí cấp giấy phép", 1250000),),
        legal_basis="Luật Tài nguyên nước số 28/2023/QH15",
    )


def test_catalogue_table_has_the_columns_of_the_seeds(client, water_procedure):
    response = client.get("/thu-tuc/", {"q": "tham do nuoc"})
    text = response.content.decode()
    assert response.status_code == 200
    for heading in ("STT", "Mã chuẩn", "Tên thủ tục", "Lĩnh vực", "Cơ quan thực hiện", "Mức độ", "Thao tác"):
        assert f">{heading}</th>" in text
    assert WATER in text and "Sở Tài nguyên và Môi trường" in text and "Mức độ 4" in text
    assert "Tìm thấy 1 thủ tục" in text


def test_detail_page_shows_components_fees_and_legal_basis(client, water_procedure):
    response = client.get(f"/thu-tuc/{WATER}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Giấy tờ số 1" in text and "Giấy tờ số 2" in text
    assert "1.250.000 đ" in text
    assert "Luật Tài nguyên nước số 28/2023/QH15" in text
    assert "0260.3916028" in text


def test_unknown_procedure_is_404(client, db):
    assert client.get("/thu-tuc/1.999999.000.00.00.H34/").status_code == 404
    assert client.get("/thu-tuc/../../etc/passwd/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"level": "abc"},
        {"level": "7"},
        {"agency": "khong-ton-tai"},
        {"field": "x" * 500},
        {"page": "999"},
        {"page": "-1"},
        {"page": "abc"},
        {"q": "a" * 10_000},
        {"q": "%_\\'\"<script>"},
        {"q": "\x00\x01"},
    ],
)
def test_bad_parameters_never_fail(client, water_procedure, params):
    response = client.get("/thu-tuc/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_page_past_the_end_shows_the_last_page(client, db):
    field = FieldFactory()
    agency = AgencyFactory()
    ProcedureFactory.create_batch(25, field=field, agencies=[agency])
    response = client.get("/thu-tuc/", {"page": "99"})
    assert response.status_code == 200
    assert response.context["page"].number == 2


@pytest.mark.parametrize("params", [{"level": "abc"}, {"scope": "huyen"}, {"field": "x" * 51}, {"agency": "a" * 21}])
def test_a_bad_filter_is_dropped_and_the_page_links_keep_the_search(client, db, params):
    field = FieldFactory()
    ProcedureFactory.create_batch(25, field=field, name="Cấp giấy phép khai thác nước")
    response = client.get("/thu-tuc/", {"q": "khai thac nuoc", **params})
    text = response.content.decode()
    assert "Tìm thấy 25 thủ tục" in text  # the bad filter ignored, not the search
    nav = text.split('<nav aria-label="Phân trang">', 1)[1].split("</nav>", 1)[0]
    assert 'aria-current="page"><span class="page-link">1</span>' in nav
    # Each link keeps the query (and the parameters as given), and escapes its ampersands.
    assert re.search(r'href="\?q=khai\+thac\+nuoc&amp;[^"]*page=2">2</a>', nav)
    assert re.search(r'href="\?q=khai\+thac\+nuoc&amp;[^"]*page=2">Sau</a>', nav)


def test_empty_result_suggests_dropping_a_filter(client, water_procedure):
    response = client.get("/thu-tuc/", {"q": "tham do nuoc", "level": "3"})
    text = response.content.decode()
    assert "Không tìm thấy thủ tục phù hợp" in text
    assert "Bỏ lọc theo mức độ (1 thủ tục)" in text


def _queries_for_catalogue(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/thu-tuc/", {"q": "thu tuc"}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(client, db, settings):
    settings.CATALOGUE_PAGE_SIZE = 50
    field = FieldFactory()
    agencies = [AgencyFactory(), AgencyFactory()]
    ProcedureFactory(field=field, agencies=agencies, name="Thủ tục mẫu đầu tiên")
    one = _queries_for_catalogue(client)
    ProcedureFactory.create_batch(49, field=field, agencies=agencies)
    fifty = _queries_for_catalogue(client)
    assert fifty == one
    assert one <= 8


@pytest.mark.parametrize("path", ["/", "/huong-dan/", "/cau-hoi-thuong-gap/", "/dich-vu-cong-truc-tuyen/"])
def test_public_pages_load(client, water_procedure, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "0260.3797799" in response.content.decode()


def test_online_services_counts_per_agency(client, water_procedure):
    text = client.get("/dich-vu-cong-truc-tuyen/").content.decode()
    assert "Sở Tài nguyên và Môi trường" in text
    assert "?agency=000.00.21.H34&amp;level=4\">1</a>" in text


def test_vietnamese_by_default_even_for_an_english_browser(client, water_procedure):
    response = client.get("/thu-tuc/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Tra cứu thủ tục hành chính" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_english_is_available_through_the_language_switch(client, water_procedure):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"}, follow=True)
    assert response.status_code == 200
    assert "Administrative procedure search" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/thu-tuc/"})
    assert "Tra cứu thủ tục hành chính" in client.get("/thu-tuc/").content.decode()


def test_filter_lists_follow_catalogue_changes(client, water_procedure):
    assert "Sở Tài nguyên và Môi trường" in client.get("/thu-tuc/").content.decode()
    other = AgencyFactory(code="000.00.30.H34", name="Sở Xây dựng")
    assert "Sở Xây dựng" not in client.get("/thu-tuc/").content.decode()  # no procedure yet
    ProcedureFactory(field=FieldFactory(code="XD", name="Hoạt động xây dựng"), agencies=[other])
    text = client.get("/thu-tuc/").content.decode()
    assert "Sở Xây dựng" in text and "Hoạt động xây dựng" in text


def test_filter_lists_are_cached_between_requests(client, water_procedure, django_assert_max_num_queries):
    client.get("/thu-tuc/")
    with django_assert_max_num_queries(3):  # count, page rows, agencies of the rows
        assert client.get("/thu-tuc/").status_code == 200


def test_short_code_and_code_without_dots_redirect_to_the_canonical_page(client, water_procedure):
    canonical = "/thu-tuc/1.004232.000.00.00.H34/"
    # The short code, without dots, a public service's code, another province's code of the same procedure.
    for written in ("1.004232", "1004232", "10042320000000H34", "1.004232.000.00.00.H34.02", "1.004232.000.00.00.H55"):
        response = client.get(f"/thu-tuc/{written}/")
        assert (response.status_code, response["Location"]) == (301, canonical), written
    assert client.get("/thu-tuc/1.999999/").status_code == 404
    assert client.get("/thu-tuc/1.0042/").status_code == 404


def test_procedure_page_shows_the_time_and_fee_of_each_channel(client, water_procedure):
    from decimal import Decimal

    from procedures.models import ProcedureChannel

    ProcedureChannel.objects.create(procedure=water_procedure, position=1, channel="online",
                                    time_value=Decimal("5"), time_unit="Ngày làm việc", fee_amount=0,
                                    fee_text="Miễn phí")
    ProcedureChannel.objects.create(procedure=water_procedure, position=2, channel="counter",
                                    time_value=Decimal("1"), time_unit="", fee_amount=500_000,
                                    fee_text="500,000 Việt Nam Đồng", description="Nộp tại Bộ phận Một cửa.")
    text = client.get(water_procedure.get_absolute_url()).content.decode()
    table = text[text.index("Cách thức thực hiện"):text.index("Thành phần hồ sơ")]
    assert "Trực tuyến" in table and "5 ngày làm việc" in table and "Miễn phí" in table
    assert "Trực tiếp" in table and "500.000 đ" in table and "không ghi đơn vị" in table
    assert "Nộp tại Bộ phận Một cửa." in table


def test_a_procedure_entered_by_hand_gets_its_online_row(client, water_procedure):
    text = client.get(water_procedure.get_absolute_url()).content.decode()
    table = text[text.index("Cách thức thực hiện"):text.index("Thành phần hồ sơ")]
    assert "Trực tuyến" in table and f"{water_procedure.processing_days} ngày làm việc" in table


@pytest.mark.parametrize("level, shown", [("toan-trinh", True), ("4", True), ("mot-phan", False), ("3", False)])
def test_level_filter_takes_the_decree_42_names_and_the_old_numbers(client, water_procedure, level, shown):
    text = client.get("/thu-tuc/", {"level": level}).content.decode()
    assert (water_procedure.code in text) is shown


def test_searching_keeps_the_query_count_bounded(client, water_procedure, django_assert_max_num_queries):
    client.get("/thu-tuc/", {"q": "tham do nuoc"})  # builds the vocabulary and the filter lists once
    with django_assert_max_num_queries(4):  # count, page rows, agencies of the rows, fallback check
        assert client.get("/thu-tuc/", {"q": "cap giay phep tham do nuoc duoi dat"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/thu-tuc/", {"q": "tham dp nuoc"}).status_code == 200  # with a typo


def test_a_new_search_reads_only_the_ranked_ids_once_the_rows_are_rendered(
    client, water_procedure, django_assert_max_num_queries
):
    # Each search is one nobody made before (u=…): the page cache never serves it.
    client.get("/thu-tuc/", {"q": "tham do nuoc", "u": "0"})  # the vocabulary, the filter lists, the rows
    with django_assert_max_num_queries(1):  # the ranked ids; the row comes from the rendered rows
        text = client.get("/thu-tuc/", {"q": "phep nuoc", "u": "1"}).content.decode()
    assert WATER in text and "Tìm thấy 1 thủ tục" in text
    # A procedure not yet shown: its row is read with its field and agencies, once.
    ProcedureFactory(code="1.004228.000.00.00.H34", field=water_procedure.field, name="Gia hạn giấy phép thăm dò nước")
    client.get("/thu-tuc/", {"q": "giay phep", "u": "2"})
    with django_assert_max_num_queries(3):  # ids, the new procedure with its field, its agencies
        assert "Gia hạn giấy phép thăm dò nước" in client.get("/thu-tuc/", {"q": "gia han", "u": "3"}).content.decode()


def test_a_search_that_finds_nothing_counts_nothing_again(client, water_procedure, django_assert_max_num_queries):
    client.get("/thu-tuc/", {"q": "khong co", "u": "0"})
    with django_assert_max_num_queries(1):  # the search; dropping the query is the catalogue's kept count
        text = client.get("/thu-tuc/", {"q": "chang thay", "u": "1"}).content.decode()
    assert "Không tìm thấy thủ tục phù hợp" in text and "Bỏ lọc theo từ khóa (1 thủ tục)" in text
    with django_assert_max_num_queries(3):  # the search, then the same without the level, without the query
        text = client.get("/thu-tuc/", {"q": "tham do", "level": "3", "u": "2"}).content.decode()
    assert "Bỏ lọc theo mức độ (1 thủ tục)" in text


def test_a_changed_procedure_shows_at_once_in_the_search(client, water_procedure):
    assert "Tài nguyên nước" in client.get("/thu-tuc/", {"q": "tham do", "u": "0"}).content.decode()
    water_procedure.name = "Cấp giấy phép thăm dò nước dưới đất (sửa đổi)"
    water_procedure.save()
    catalogue_rows_saved(model=Procedure, pks=[water_procedure.pk])  # as the admin's save does
    assert "(sửa đổi)" in client.get("/thu-tuc/", {"q": "tham do", "u": "1"}).content.decode()
    water_procedure.agencies.set([AgencyFactory(code="000.00.30.H34", name="Sở Xây dựng")])
    catalogue_rows_saved(model=Procedure, pks=[water_procedure.pk])
    assert "Sở Xây dựng" in client.get("/thu-tuc/", {"q": "tham do", "u": "2"}).content.decode()


def test_the_rows_follow_the_language(client, water_procedure):
    assert "Nộp trực tuyến" in client.get("/thu-tuc/", {"q": "tham do"}).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    text = client.get("/thu-tuc/", {"q": "tham do"}).content.decode()
    assert "Submit online" in text and "Nộp trực tuyến" not in text


def test_a_search_with_more_matches_than_it_ranks_says_so(client, water_procedure, monkeypatch):
    from procedures.selectors import search as selectors

    ProcedureFactory.create_batch(4, field=water_procedure.field, name="Cấp giấy phép xả nước thải")
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 3)
    text = client.get("/thu-tuc/", {"q": "giay phep"}).content.decode()
    assert "Tìm thấy hơn 3 thủ tục; thêm từ khóa hoặc bộ lọc để thu hẹp." in text
    assert text.count('class="procedure-code"') == 3
    assert "Tìm thấy 1 thủ tục" in client.get("/thu-tuc/", {"q": "tham do"}).content.decode()


def test_a_row_lists_the_agencies_in_vietnamese_order_or_the_national_text_when_there_are_none(client, db):
    field = FieldFactory(code="DD", name="Đất đai")
    agencies = [AgencyFactory(code=f"000.00.{n}.H34", name=name)
                for n, name in enumerate(("Ủy ban nhân dân cấp xã", "Sở Nông nghiệp và Môi trường", "Đội thuế"), start=40)]
    ProcedureFactory(code="1.000040.000.00.00.H34", name="Đăng ký đất đai lần đầu", field=field, agencies=agencies)
    ProcedureFactory(code="1.000041.000.00.00.H34", name="Đăng ký biến động đất đai", field=field, agencies=[],
                     implementing_text="Văn phòng đăng ký đất đai\n" + "Chi nhánh " * 20, online_level=3)
    rows = re.findall(r"<tr>(.*?)</tr>", client.get("/thu-tuc/", {"q": "dang ky dat dai"}).content.decode(), re.S)
    cells = {re.search(r'procedure-code[^>]*>([^<]+)<', row).group(1): re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
             for row in rows if "procedure-code" in row}
    first, second = cells["1.000040.000.00.00.H34"], cells["1.000041.000.00.00.H34"]
    # STT, code, name, field, agencies, level, action
    assert first[3] == "Đất đai" and first[4] == "Đội thuế; Sở Nông nghiệp và Môi trường; Ủy ban nhân dân cấp xã"
    assert second[4].startswith("Văn phòng đăng ký đất đai") and second[4].endswith("…") and len(second[4]) <= 120
    assert "Một phần (Mức độ 3)" in second[5] and 'href="/thu-tuc/1.000041.000.00.00.H34/"' in second[2]


def test_the_rows_a_process_keeps_are_bounded_and_of_the_current_version(client, db, settings, monkeypatch):
    from procedures import views

    settings.CATALOGUE_PAGE_SIZE = 5
    monkeypatch.setattr(views, "ROWS_KEPT", 8)
    ProcedureFactory.create_batch(20, field=FieldFactory())
    for page in (1, 2, 3, 4):
        assert client.get("/thu-tuc/", {"page": page}).status_code == 200
        assert sum(len(rows) for rows in views._rows.values()) <= 8 + 5
    assert len(views._rows) == 1
    added = ProcedureFactory(field=FieldFactory(), name="Thủ tục vừa thêm")  # a new version of the catalogue
    assert "Thủ tục vừa thêm" in client.get("/thu-tuc/", {"q": "vua them"}).content.decode()
    assert len(views._rows) == 1 and (("vi", added.pk) in next(iter(views._rows.values())))


def test_the_procedure_page_reads_the_components_as_the_law_does(client):
    """Uploads per case (the conditional ones after, with their condition), papers shown at the counter apart,
    and the notes folded: no note or paper to show is listed as a required upload."""
    from tests.factories import components as birth
    from tests.factories.dossiers import Builder

    procedure = birth.birth_registration(Builder())
    from procedures.constants import Channel
    from procedures.models import RequiredComponent
    RequiredComponent.objects.create(procedure=procedure, position=1, name=birth.PAPER_FORM, channel=Channel.POST)
    page = client.get(procedure.get_absolute_url()).content.decode()
    uploads_html = "".join(part.split("</table>", 1)[0] for part in page.split("Giấy tờ phải nộp</h4>")[1:])
    assert birth.BIRTH_CERTIFICATE in uploads_html and birth.POWER_OF_ATTORNEY in uploads_html
    assert f"Chỉ khi: {birth.POWER_CONDITION}" in uploads_html and "Khi thuộc trường hợp" in uploads_html
    # The paper declaration, the e-form's counterpart: one row for the counter (and the post, where both ask it).
    assert uploads_html.count(birth.PAPER_FORM) == 1 and "khi nộp trực tiếp, dịch vụ bưu chính</span>" in uploads_html
    for case in (birth.CASE_NORMAL, birth.CASE_ABANDONED, birth.CASE_SURROGACY):
        assert case in page
    shown = page.split("Giấy tờ xuất trình tại Bộ phận một cửa (không tải lên)", 1)[1].split("</div>", 1)[0]
    assert birth.IDENTITY_PAPER[:40] in shown and "nộp trực tuyến: nhập số giấy tờ" in shown
    assert birth.IDENTITY_PAPER[:40] not in uploads_html
    notes = re.search(r"<details[^>]*>\s*<summary[^>]*>Lưu ý \(4 mục\)</summary>(.*?)</details>", page, re.S)
    assert notes and all(note[:40] in notes.group(1) for note in birth.NOTES)
    assert not any(note[:40] in uploads_html for note in birth.NOTES)
    assert procedure.components.count() == 14
