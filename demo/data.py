"""The demo catalogue of Kon Tum: agencies, fields and procedure families that `seed_demo` loads.

A family groups procedures that share a field, agencies, conditions, components and fees (as the
national database does); each procedure of a family only adds its code and name, and may override
the processing time or the fees. Names and legal bases follow the published Kon Tum catalogue.
"""

from dataclasses import dataclass, field

from procedures.constants import AgencyLevel, DocumentForm, FeeKind

PROVINCE = "tỉnh Kon Tum"
DNRE = "000.00.21.H34"  # Sở Tài nguyên và Môi trường
DARD = "000.00.20.H34"  # Sở Nông nghiệp và Phát triển nông thôn

# (code, name, level, address, phone, bank account number, bank)
AGENCIES = [
    (DARD, "Sở Nông nghiệp và Phát triển nông thôn", AgencyLevel.PROVINCIAL,
     "Số 23 Trần Phú, phường Kon Tum", "0260.3862524", "3511.0.1053210", "Kho bạc Nhà nước khu vực XIV"),
    (DNRE, "Sở Tài nguyên và Môi trường", AgencyLevel.PROVINCIAL,
     "Số 15 Lê Hồng Phong, phường Kon Tum", "0260.3864125", "3511.0.1053211", "Kho bạc Nhà nước khu vực XIV"),
    ("000.00.10.H34", "Sở Tư pháp", AgencyLevel.PROVINCIAL,
     "Số 72 Phan Đình Phùng, phường Kon Tum", "0260.3862461", "3511.0.1053212", "Kho bạc Nhà nước khu vực XIV"),
    ("000.00.11.H34", "Sở Kế hoạch và Đầu tư", AgencyLevel.PROVINCIAL,
     "Số 35 Trần Phú, phường Kon Tum", "0260.3862355", "102010000341120", "Ngân hàng TMCP Công Thương Việt Nam"),
    ("000.00.12.H34", "Sở Xây dựng", AgencyLevel.PROVINCIAL,
     "Số 14 Trần Hưng Đạo, phường Kon Tum", "0260.3862630", "3511.0.1053214", "Kho bạc Nhà nước khu vực XIV"),
    ("000.00.13.H34", "Sở Giao thông vận tải", AgencyLevel.PROVINCIAL,
     "Số 28 Trần Phú, phường Kon Tum", "0260.3862377", "6205201003215", "Ngân hàng Nông nghiệp và Phát triển Nông thôn"),
    ("000.00.14.H34", "Sở Công Thương", AgencyLevel.PROVINCIAL,
     "Số 306 Bà Triệu, phường Kon Tum", "0260.3862612", "3511.0.1053216", "Kho bạc Nhà nước khu vực XIV"),
    ("000.00.15.H34", "Sở Y tế", AgencyLevel.PROVINCIAL,
     "Số 2 Trần Hưng Đạo, phường Kon Tum", "0260.3862483", "3511.0.1053217", "Kho bạc Nhà nước khu vực XIV"),
    ("000.00.16.H34", "Sở Giáo dục và Đào tạo", AgencyLevel.PROVINCIAL,
     "Số 9 Phan Đình Phùng, phường Kon Tum", "0260.3862438", "3511.0.1053218", "Kho bạc Nhà nước khu vực XIV"),
    ("000.00.17.H34", "Sở Lao động - Thương binh và Xã hội", AgencyLevel.PROVINCIAL,
     "Số 227 Bà Triệu, phường Kon Tum", "0260.3862596", "3511.0.1053219", "Kho bạc Nhà nước khu vực XIV"),
    ("000.30.01.H34", "Ủy ban nhân dân phường Kon Tum", AgencyLevel.COMMUNE,
     "Số 88 Trần Phú, phường Kon Tum", "0260.3863101", "3511.0.1060001", "Kho bạc Nhà nước khu vực XIV"),
    ("000.30.02.H34", "Ủy ban nhân dân phường Đăk Cấm", AgencyLevel.COMMUNE,
     "Số 5 Đặng Tiến Đông, phường Đăk Cấm", "0260.3863102", "3511.0.1060002", "Kho bạc Nhà nước khu vực XIV"),
    ("000.30.03.H34", "Ủy ban nhân dân phường Đăk Bla", AgencyLevel.COMMUNE,
     "Số 120 Phan Đình Phùng, phường Đăk Bla", "0260.3863103", "3511.0.1060003", "Kho bạc Nhà nước khu vực XIV"),
    ("000.30.04.H34", "Ủy ban nhân dân xã Đăk Hà", AgencyLevel.COMMUNE,
     "Số 41 Hùng Vương, xã Đăk Hà", "0260.3820104", "3511.0.1060004", "Kho bạc Nhà nước khu vực XIV"),
    ("000.30.05.H34", "Ủy ban nhân dân xã Đăk Tô", AgencyLevel.COMMUNE,
     "Số 10 Hùng Vương, xã Đăk Tô", "0260.3831105", "3511.0.1060005", "Kho bạc Nhà nước khu vực XIV"),
    ("000.30.06.H34", "Ủy ban nhân dân xã Sa Thầy", AgencyLevel.COMMUNE,
     "Số 1 Trần Hưng Đạo, xã Sa Thầy", "0260.3826106", "3511.0.1060006", "Kho bạc Nhà nước khu vực XIV"),
    ("000.30.07.H34", "Ủy ban nhân dân xã Măng Đen", AgencyLevel.COMMUNE,
     "Số 2 Nguyễn Sinh Sắc, xã Măng Đen", "0260.3500107", "3511.0.1060007", "Kho bạc Nhà nước khu vực XIV"),
]
COMMUNES = [a[0] for a in AGENCIES if a[2] == AgencyLevel.COMMUNE]
# The 2025 commune (accounts.selectors.commune_choices of Quảng Ngãi, 51) each commune's agencies serve.
COMMUNE_UNITS = {
    "000.30.01.H34": 23293,  # Phường Kon Tum
    "000.30.02.H34": 23284,  # Phường Đăk Cấm
    "000.30.03.H34": 23302,  # Phường Đăk Bla
    "000.30.04.H34": 23500,  # Xã Đăk Hà
    "000.30.05.H34": 23401,  # Xã Đăk Tô
    "000.30.06.H34": 23527,  # Xã Sa Thầy
    "000.30.07.H34": 23473,  # Xã Măng Đen
}
PROVINCE_POLICE = "000.00.30.H34"
# The police: the province's, and each commune's (residence, identity cards, vehicle registration).
POLICE = [
    (PROVINCE_POLICE, "Công an tỉnh", AgencyLevel.PROVINCIAL, None,
     "Số 248 Bà Triệu, phường Kon Tum", "069.2608100", "3511.0.1070000", "Kho bạc Nhà nước khu vực XIV"),
    *[
        (f"000.31.{code[7:9]}.H34", name.replace("Ủy ban nhân dân", "Công an"), AgencyLevel.COMMUNE, unit,
         address, f"069.26081{n:02d}", f"3511.0.10700{n:02d}", "Kho bạc Nhà nước khu vực XIV")
        for n, (code, name, _level, address, *_rest) in enumerate(
            (a for a in AGENCIES if a[0] in COMMUNE_UNITS), start=1)
        for unit in [COMMUNE_UNITS[code]]
    ],
]

# The receiving map (procedures.ReceivingRule): (level, field name or None for every field, kinds of each
# commune's agencies, agency codes). A field's own row wins over the level's row; a row naming nobody says the
# province receives none of them (the State's customs, tax, treasury and social insurance offices do).
EACH_UBND, EACH_POLICE = ("ubnd",), ("cong_an",)
NOT_THE_PROVINCES = ("Hải quan", "Thuế", "Kho bạc Nhà nước", "Thực hiện chính sách BHXH", "Chi trả các chế độ BHXH",
                     "Thực hiện chính sách BHYT", "Thu BHXH, BHYT, BHTN, BH tai nạn lao động, BNN",
                     "Cấp sổ BHXH, thẻ BHYT", "Quản lý xuất nhập cảnh", "Tòa án",
                     "Quản lý thuế, phí, lệ phí và thu khác của ngân sách nhà nước")
_DEPARTMENTS = {
    "000.00.10.H34": ("Hộ tịch", "Chứng thực", "Nuôi con nuôi", "Công chứng", "Luật sư",
                      "Thừa phát lại", "Giám định tư pháp", "Trợ giúp pháp lý", "Đấu giá tài sản", "Quản tài viên",
                      "Tư vấn pháp luật", "Hòa giải thương mại", "Trọng tài thương mại", "Quốc tịch",
                      "Đăng ký biện pháp bảo đảm", "Bồi thường nhà nước"),
    DNRE: ("Đất đai", "Lĩnh vực Tài nguyên nước", "Môi trường", "Địa chất và khoáng sản", "Biển và hải đảo",
           "Khí tượng, thủy văn", "Biến đổi khí hậu", "Đo đạc, bản đồ và thông tin địa lý",
           "Bảo tồn thiên nhiên và Đa dạng sinh học"),
    DARD: ("Chăn nuôi", "Thú y", "Trồng trọt và Bảo vệ thực vật", "Trồng trọt", "Lâm nghiệp", "Thủy sản", "Thủy lợi",
           "Kiểm lâm", "Quản lý chất lượng nông lâm sản và thủy sản", "Kinh tế hợp tác và Phát triển nông thôn",
           "Nông nghiệp"),
    "000.00.11.H34": ("Thành lập và hoạt động của doanh nghiệp", "Đầu tư tại Việt nam",
                      "Hỗ trợ doanh nghiệp nhỏ và vừa", "Đầu tư theo phương thức đối tác công tư",
                      "Đầu tư vào nông nghiệp, nông thôn"),
    "000.00.12.H34": ("Hoạt động xây dựng", "Nhà ở và công sở", "Kinh doanh bất động sản", "Hạ tầng kỹ thuật",
                      "Kiến trúc", "Quy hoạch đô thị và nông thôn", "Vật liệu xây dựng", "Phát triển đô thị"),
    "000.00.13.H34": ("Đường bộ", "Đăng kiểm", "Sát hạch, cấp giấy phép lái xe", "Hàng hải và đường thủy nội địa"),
    "000.00.14.H34": ("Lưu thông hàng hóa trong nước",),
    "000.00.15.H34": ("Khám bệnh, chữa bệnh", "Dược phẩm"),
    "000.00.16.H34": ("Giáo dục và Đào tạo",),
    "000.00.17.H34": ("Việc làm", "Người có công", "Bảo trợ xã hội", "Kiểm định kỹ thuật an toàn lao động",
                      "Tổ chức cai nghiên ma túy và quản lý sau cai nghiện"),
    # Criminal records moved from the Justice departments to the provincial police in 2025.
    PROVINCE_POLICE: ("Lý lịch tư pháp", "Quản lý xuất nhập cảnh", "Quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ và pháo",
                      "Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng", "Cấp, quản lý căn cước",
                      "Phòng cháy, chữa cháy",
                      "Quản lý ngành nghề đầu tư, kinh doanh có điều kiện về an ninh, trật tự"),
}
RECEIVING_MAP = [
    ("xa", None, EACH_UBND, ()),
    *[("xa", name, EACH_POLICE, ()) for name in (
        "Đăng ký, quản lý cư trú", "Cấp, quản lý căn cước",
        "Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng", "Phòng cháy, chữa cháy")],
    *[("xa", name, (), ()) for name in NOT_THE_PROVINCES],
    *[("tinh", name, (), (code,)) for code, names in _DEPARTMENTS.items() for name in names],
]

FIELDS = [
    ("TNN", "Lĩnh vực Tài nguyên nước"),
    ("DD", "Đất đai"),
    ("MT", "Môi trường"),
    ("CN", "Chăn nuôi"),
    ("TY", "Thú y"),
    ("TTBVTV", "Trồng trọt và Bảo vệ thực vật"),
    ("LN", "Lâm nghiệp"),
    ("HT", "Hộ tịch"),
    ("CTH", "Chứng thực"),
    ("LLTP", "Lý lịch tư pháp"),
    ("DKKD", "Thành lập và hoạt động của doanh nghiệp"),
    ("HDXD", "Hoạt động xây dựng"),
    ("DB", "Đường bộ"),
    ("LTHH", "Lưu thông hàng hóa trong nước"),
    ("KCB", "Khám bệnh, chữa bệnh"),
    ("DUOC", "Dược phẩm"),
    ("GDDT", "Giáo dục và Đào tạo"),
    ("VL", "Việc làm"),
    ("NCC", "Người có công"),
    ("BTXH", "Bảo trợ xã hội"),
]

# A component: (name, description, document form, accepted types, size limit in MB, has a blank form).
O, C, CC = DocumentForm.ORIGINAL, DocumentForm.COPY, DocumentForm.CERTIFIED_COPY
PHI, LE_PHI = FeeKind.FEE, FeeKind.CHARGE
IDENTITY = ("Căn cước công dân hoặc hộ chiếu của người nộp", "Xuất trình khi nhận kết quả nếu chưa xác thực qua VNeID.",
            C, "pdf,jpg,png", 5, False)
LICENCE = ("Giấy chứng nhận đăng ký doanh nghiệp hoặc quyết định thành lập", "Của tổ chức đề nghị.", C, "pdf", 10, False)


def steps(agency: str) -> str:
    return "\n".join([
        "Bước 1: Tổ chức, cá nhân nộp hồ sơ trực tuyến trên Cổng Dịch vụ công tỉnh Kon Tum hoặc tại Trung tâm "
        "Phục vụ hành chính công tỉnh.",
        f"Bước 2: Bộ phận một cửa của {agency} kiểm tra, tiếp nhận hồ sơ; hồ sơ chưa đầy đủ được hướng dẫn bổ "
        "sung một lần.",
        f"Bước 3: {agency} thẩm định hồ sơ, trình cấp có thẩm quyền quyết định.",
        "Bước 4: Trả kết quả trực tuyến, qua dịch vụ bưu chính công ích hoặc tại nơi nộp hồ sơ.",
    ])


@dataclass
class Family:
    field: str
    agencies: list[str]
    procedures: list[tuple]  # (code, name) or (code, name, {overrides})
    result: str
    legal_basis: str
    conditions: str
    components: list[tuple]
    fees: list[tuple] = field(default_factory=list)  # (kind, name, amount, note)
    days: int = 15
    level: int = 4
    pay_before: bool = False
    frequent: tuple = ()  # codes shown among the frequent procedures


WATER_LAW = ("Luật Tài nguyên nước số 28/2023/QH15; Nghị định số 54/2024/NĐ-CP; Nghị quyết số 58/2016/NQ-HĐND "
             "của HĐND tỉnh Kon Tum về phí thẩm định đề án, báo cáo thăm dò, khai thác, sử dụng nước dưới đất.")

FAMILIES = [
    Family(
        field="TNN", agencies=[DNRE], days=23, pay_before=True,
        frequent=("1.004232.000.00.00.H34", "1.004223.000.00.00.H34"),
        procedures=[
            ("1.004232.000.00.00.H34",
             "Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm",
             {"fees": [(PHI, "Phí thẩm định đề án thăm dò nước dưới đất", 1_100_000, "Theo Nghị quyết 58/2016/NQ-HĐND")]}),
            ("1.004228.000.00.00.H34",
             "Gia hạn, điều chỉnh nội dung giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới "
             "3.000m³/ngày đêm",
             {"days": 15, "fees": [(PHI, "Phí thẩm định gia hạn, điều chỉnh giấy phép thăm dò", 550_000, "Bằng 50% mức cấp mới")]}),
            ("1.004223.000.00.00.H34",
             "Cấp giấy phép khai thác, sử dụng nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm",
             {"fees": [(PHI, "Phí thẩm định báo cáo kết quả thăm dò, đánh giá trữ lượng nước dưới đất", 1_500_000, "")]}),
            ("1.004211.000.00.00.H34",
             "Gia hạn, điều chỉnh nội dung giấy phép khai thác, sử dụng nước dưới đất đối với công trình có lưu "
             "lượng dưới 3.000m³/ngày đêm",
             {"days": 15, "fees": [(PHI, "Phí thẩm định gia hạn, điều chỉnh giấy phép khai thác", 750_000, "")]}),
            ("1.004179.000.00.00.H34", "Cấp giấy phép khai thác, sử dụng nước mặt cho sản xuất nông nghiệp, "
             "nuôi trồng thủy sản với lưu lượng dưới 2m³/giây",
             {"fees": [(PHI, "Phí thẩm định đề án khai thác, sử dụng nước mặt", 1_400_000, "")]}),
            ("1.004167.000.00.00.H34", "Cấp giấy phép xả nước thải vào nguồn nước với lưu lượng dưới "
             "30.000m³/ngày đêm",
             {"fees": [(PHI, "Phí thẩm định đề án xả nước thải vào nguồn nước", 1_600_000, "")]}),
        ],
        result="Giấy phép tài nguyên nước của Ủy ban nhân dân tỉnh Kon Tum (bản điện tử và bản giấy).",
        legal_basis=WATER_LAW,
        conditions="Có đề án hoặc báo cáo do tổ chức, cá nhân đủ năng lực hành nghề khoan nước dưới đất hoặc tư vấn "
                   "lập; phù hợp quy hoạch tài nguyên nước của tỉnh; đã lấy ý kiến cộng đồng dân cư nơi có công trình.",
        components=[
            ("Đơn đề nghị cấp giấy phép (Mẫu 01)", "Theo mẫu tại Phụ lục Nghị định 54/2024/NĐ-CP, có chữ ký và dấu.",
             O, "pdf,doc,docx", 10, True),
            ("Đề án hoặc báo cáo kỹ thuật", "Kèm bản vẽ, sơ đồ vị trí công trình, kết quả phân tích chất lượng nước.",
             O, "pdf", 50, False),
            ("Văn bản góp ý của Ủy ban nhân dân xã nơi có công trình", "", C, "pdf,jpg", 10, False),
            LICENCE,
        ],
    ),
    Family(
        field="CN", agencies=[DARD], days=10, pay_before=True,
        frequent=("1.008127.000.00.00.H34",),
        procedures=[
            ("1.008127.000.00.00.H34",
             "Cấp lại Giấy chứng nhận đủ điều kiện chăn nuôi đối với chăn nuôi trang trại quy mô lớn",
             {"days": 5, "fees": [(PHI, "Phí thẩm định cấp lại giấy chứng nhận", 1_500_000, "Thông tư 24/2021/TT-BTC")]}),
            ("1.008126.000.00.00.H34",
             "Cấp Giấy chứng nhận đủ điều kiện chăn nuôi đối với chăn nuôi trang trại quy mô lớn",
             {"days": 20, "fees": [(PHI, "Phí thẩm định cấp giấy chứng nhận", 3_000_000, "Thông tư 24/2021/TT-BTC")]}),
            ("1.008128.000.00.00.H34", "Cấp Giấy chứng nhận đủ điều kiện sản xuất thức ăn chăn nuôi thương mại, "
             "thức ăn chăn nuôi theo đặt hàng",
             {"days": 20, "fees": [(PHI, "Phí thẩm định điều kiện sản xuất thức ăn chăn nuôi", 5_700_000, "")]}),
            ("1.008129.000.00.00.H34", "Cấp lại Giấy chứng nhận đủ điều kiện sản xuất thức ăn chăn nuôi thương "
             "mại, thức ăn chăn nuôi theo đặt hàng", {"days": 5}),
        ],
        result="Giấy chứng nhận đủ điều kiện của Sở Nông nghiệp và Phát triển nông thôn.",
        legal_basis="Luật Chăn nuôi số 32/2018/QH14; Nghị định số 13/2020/NĐ-CP; Nghị định số 46/2022/NĐ-CP; "
                    "Thông tư số 24/2021/TT-BTC quy định phí trong chăn nuôi.",
        conditions="Địa điểm phù hợp quy hoạch, bảo đảm khoảng cách an toàn; có chuồng trại, trang thiết bị, nguồn "
                   "nước và phương án xử lý chất thải chăn nuôi đáp ứng quy chuẩn kỹ thuật quốc gia.",
        components=[
            ("Đơn đề nghị (Mẫu 01.ĐKCN)", "Theo Phụ lục I Nghị định 13/2020/NĐ-CP.", O, "pdf,doc,docx", 10, True),
            ("Thuyết minh điều kiện chăn nuôi", "Mô tả chuồng trại, trang thiết bị, xử lý chất thải.", O, "pdf", 20, False),
            ("Giấy chứng nhận đủ điều kiện đã được cấp", "Đối với trường hợp cấp lại.", C, "pdf,jpg,png", 10, False),
        ],
        fees=[(PHI, "Phí thẩm định cấp lại giấy chứng nhận", 1_500_000, "")],
    ),
    Family(
        field="TY", agencies=[DARD], days=5,
        procedures=[
            ("1.003810.000.00.00.H34", "Cấp Giấy chứng nhận cơ sở an toàn dịch bệnh động vật"),
            ("1.003619.000.00.00.H34", "Cấp Chứng chỉ hành nghề thú y (tiêm phòng, chữa bệnh, phẫu thuật động vật)"),
            ("1.003577.000.00.00.H34", "Cấp lại Chứng chỉ hành nghề thú y"),
            ("1.004022.000.00.00.H34", "Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra "
             "khỏi địa bàn cấp tỉnh", {"days": 1, "level": 3}),
            ("1.003781.000.00.00.H34", "Cấp Giấy chứng nhận đủ điều kiện vệ sinh thú y", {"days": 15}),
        ],
        result="Giấy chứng nhận hoặc chứng chỉ hành nghề của Chi cục Chăn nuôi và Thú y.",
        legal_basis="Luật Thú y số 79/2015/QH13; Nghị định số 35/2016/NĐ-CP; Thông tư số 101/2020/TT-BTC.",
        conditions="Người hành nghề có bằng cấp chuyên môn phù hợp; cơ sở đáp ứng điều kiện vệ sinh thú y.",
        components=[
            ("Đơn đăng ký", "Theo mẫu ban hành kèm Thông tư 24/2022/TT-BNNPTNT.", O, "pdf,doc,docx", 10, False),
            ("Văn bằng, chứng chỉ chuyên môn", "", CC, "pdf,jpg,png", 10, False),
            IDENTITY,
        ],
        fees=[(PHI, "Phí thẩm định", 230_000, "")],
    ),
    Family(
        field="TTBVTV", agencies=[DARD], days=15, level=3,
        procedures=[
            ("1.004363.000.00.00.H34", "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật"),
            ("1.004346.000.00.00.H34", "Cấp lại Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
             {"days": 5}),
            ("1.008004.000.00.00.H34", "Cấp Quyết định công nhận cây đầu dòng, vườn cây đầu dòng cây công nghiệp, "
             "cây ăn quả lâu năm", {"fees": [(PHI, "Phí thẩm định công nhận", 2_000_000, "")]}),
        ],
        result="Giấy chứng nhận đủ điều kiện hoặc quyết định công nhận.",
        legal_basis="Luật Bảo vệ và kiểm dịch thực vật số 41/2013/QH13; Luật Trồng trọt số 31/2018/QH14; "
                    "Thông tư số 33/2021/TT-BTC.",
        conditions="Người trực tiếp bán thuốc có giấy chứng nhận bồi dưỡng chuyên môn; kho, cửa hàng bảo đảm an toàn.",
        components=[
            ("Đơn đề nghị cấp giấy chứng nhận", "", O, "pdf,doc,docx", 10, False),
            ("Bản thuyết minh điều kiện buôn bán thuốc bảo vệ thực vật", "", O, "pdf", 20, False),
            ("Giấy chứng nhận bồi dưỡng chuyên môn về thuốc bảo vệ thực vật", "", CC, "pdf,jpg,png", 10, False),
        ],
        fees=[(PHI, "Phí thẩm định điều kiện buôn bán thuốc bảo vệ thực vật", 500_000, "")],
    ),
    Family(
        field="LN", agencies=[DARD], days=10,
        procedures=[
            ("1.000047.000.00.00.H34", "Phê duyệt phương án khai thác thực vật rừng thông thường thuộc loài thông "
             "thường"),
            ("1.000065.000.00.00.H34", "Xác nhận bảng kê lâm sản có nguồn gốc từ rừng tự nhiên", {"days": 3}),
            ("1.007918.000.00.00.H34", "Chuyển loại rừng đối với khu rừng do Ủy ban nhân dân cấp tỉnh quyết định "
             "thành lập", {"days": 30, "level": 3}),
        ],
        result="Văn bản phê duyệt hoặc xác nhận của cơ quan có thẩm quyền.",
        legal_basis="Luật Lâm nghiệp số 16/2017/QH14; Nghị định số 156/2018/NĐ-CP; Thông tư số 26/2022/TT-BNNPTNT.",
        conditions="Khu rừng có phương án quản lý rừng bền vững được phê duyệt.",
        components=[
            ("Văn bản đề nghị", "", O, "pdf,doc,docx", 10, False),
            ("Phương án khai thác hoặc bảng kê lâm sản", "", O, "pdf,xls,xlsx", 20, False),
        ],
    ),
    Family(
        field="DD", agencies=[DNRE], days=20, pay_before=True, frequent=("1.012749.000.00.00.H34",),
        procedures=[
            ("1.012749.000.00.00.H34", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất "
             "do chuyển nhượng, tặng cho, thừa kế", {"days": 10}),
            ("1.012756.000.00.00.H34", "Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với "
             "đất do bị mất", {"days": 10}),
            ("1.012759.000.00.00.H34", "Đính chính Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền "
             "với đất đã cấp", {"days": 10, "fees": []}),
            ("1.012768.000.00.00.H34", "Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất đối với tổ "
             "chức", {"days": 30, "level": 3}),
            ("1.012770.000.00.00.H34", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm "
             "quyền đối với tổ chức", {"days": 30, "level": 3}),
        ],
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất hoặc xác nhận thay đổi.",
        legal_basis="Luật Đất đai số 31/2024/QH15; Nghị định số 101/2024/NĐ-CP; Nghị định số 102/2024/NĐ-CP; "
                    "Nghị quyết của HĐND tỉnh Kon Tum về lệ phí cấp Giấy chứng nhận.",
        conditions="Đất không có tranh chấp, không bị kê biên; còn thời hạn sử dụng; đã hoàn thành nghĩa vụ tài chính.",
        components=[
            ("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu 11/ĐK)", "", O, "pdf,doc,docx", 10, False),
            ("Giấy chứng nhận đã cấp", "Bản gốc nộp khi nhận kết quả.", C, "pdf,jpg,png", 10, False),
            ("Hợp đồng, văn bản về chuyển quyền sử dụng đất", "Đã công chứng hoặc chứng thực.", CC, "pdf", 20, False),
            ("Tờ khai lệ phí trước bạ, tờ khai thuế thu nhập cá nhân", "", O, "pdf", 10, False),
        ],
        fees=[(LE_PHI, "Lệ phí cấp Giấy chứng nhận", 100_000, "Cá nhân tại phường; tại xã 50.000 đồng"),
              (PHI, "Phí thẩm định hồ sơ cấp Giấy chứng nhận", 500_000, "")],
    ),
    Family(
        field="MT", agencies=[DNRE], days=25,
        procedures=[
            ("1.010727.000.00.00.H34", "Thẩm định báo cáo đánh giá tác động môi trường",
             {"fees": [(PHI, "Phí thẩm định báo cáo đánh giá tác động môi trường", 8_000_000, "Nhóm dự án II")]}),
            ("1.010728.000.00.00.H34", "Cấp giấy phép môi trường", {"days": 30}),
            ("1.010729.000.00.00.H34", "Cấp điều chỉnh giấy phép môi trường", {"days": 15}),
            ("1.010730.000.00.00.H34", "Cấp lại giấy phép môi trường", {"days": 20}),
        ],
        result="Quyết định phê duyệt kết quả thẩm định hoặc giấy phép môi trường.",
        legal_basis="Luật Bảo vệ môi trường số 72/2020/QH14; Nghị định số 08/2022/NĐ-CP; Thông tư số 02/2022/TT-BTNMT.",
        conditions="Dự án, cơ sở thuộc thẩm quyền cấp tỉnh; đã có kết quả vận hành thử nghiệm công trình xử lý chất thải.",
        components=[
            ("Văn bản đề nghị", "Theo mẫu tại Phụ lục Nghị định 08/2022/NĐ-CP.", O, "pdf,doc,docx", 10, True),
            ("Báo cáo đề xuất cấp giấy phép môi trường hoặc báo cáo đánh giá tác động môi trường", "", O, "pdf", 100,
             False),
            ("Báo cáo nghiên cứu khả thi hoặc tài liệu tương đương của dự án", "", C, "pdf", 100, False),
        ],
        fees=[(PHI, "Phí thẩm định cấp giấy phép môi trường", 6_000_000, "")],
    ),
    Family(
        field="LLTP", agencies=["000.00.10.H34"], days=10, frequent=("2.000488.000.00.00.H34",),
        procedures=[
            ("2.000488.000.00.00.H34", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư "
             "trú tại Việt Nam"),
            ("2.000505.000.00.00.H34", "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng",
             {"fees": [], "days": 5}),
            ("2.000635.000.00.00.H34", "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị, tổ chức "
             "chính trị - xã hội", {"fees": []}),
        ],
        result="Phiếu lý lịch tư pháp số 1 hoặc số 2 (bản điện tử có giá trị như bản giấy).",
        legal_basis="Luật Lý lịch tư pháp số 28/2009/QH12; Nghị định số 111/2010/NĐ-CP; Thông tư số 244/2016/TT-BTC.",
        conditions="Người yêu cầu cấp phiếu từ đủ 14 tuổi trở lên.",
        components=[
            ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu 03/2013/TT-LLTP)", "", O, "pdf,doc,docx", 5, True),
            IDENTITY,
            ("Giấy tờ chứng minh nơi cư trú", "Khi không khai thác được từ Cơ sở dữ liệu quốc gia về dân cư.", C,
             "pdf,jpg,png", 5, False),
        ],
        fees=[(PHI, "Phí cung cấp thông tin lý lịch tư pháp", 200_000, "Sinh viên, người có công: 100.000 đồng")],
    ),
    Family(
        field="DKKD", agencies=["000.00.11.H34"], days=3, frequent=("2.001610.000.00.00.H34",),
        procedures=[
            ("2.001610.000.00.00.H34", "Đăng ký thành lập doanh nghiệp tư nhân"),
            ("2.002035.000.00.00.H34", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên"),
            ("2.002036.000.00.00.H34", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên"),
            ("2.002037.000.00.00.H34", "Đăng ký thành lập công ty cổ phần"),
            ("2.002050.000.00.00.H34", "Đăng ký thay đổi người đại diện theo pháp luật của công ty trách nhiệm hữu "
             "hạn, công ty cổ phần"),
            ("2.002060.000.00.00.H34", "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông "
             "báo", {"fees": []}),
        ],
        result="Giấy chứng nhận đăng ký doanh nghiệp hoặc giấy xác nhận thay đổi nội dung đăng ký.",
        legal_basis="Luật Doanh nghiệp số 59/2020/QH14; Nghị định số 168/2025/NĐ-CP; Thông tư số 47/2019/TT-BTC.",
        conditions="Ngành, nghề đăng ký kinh doanh không bị cấm; tên doanh nghiệp đặt đúng quy định; hồ sơ hợp lệ.",
        components=[
            ("Giấy đề nghị đăng ký doanh nghiệp", "", O, "pdf,doc,docx", 10, True),
            ("Điều lệ công ty", "Không áp dụng với doanh nghiệp tư nhân.", O, "pdf", 20, False),
            ("Danh sách thành viên hoặc cổ đông sáng lập", "", O, "pdf,xls,xlsx", 10, False),
            IDENTITY,
        ],
        fees=[(LE_PHI, "Lệ phí đăng ký doanh nghiệp", 50_000, "Miễn lệ phí khi nộp hồ sơ trực tuyến"),
              (PHI, "Phí công bố nội dung đăng ký doanh nghiệp", 100_000, "")],
    ),
    Family(
        field="HDXD", agencies=["000.00.12.H34"], days=20, level=3,
        procedures=[
            ("1.009972.000.00.00.H34", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II"),
            ("1.009974.000.00.00.H34", "Cấp giấy phép sửa chữa, cải tạo đối với công trình cấp đặc biệt, cấp I, cấp II"),
            ("1.009976.000.00.00.H34", "Điều chỉnh giấy phép xây dựng đối với công trình cấp đặc biệt, cấp I, cấp II"),
            ("1.009979.000.00.00.H34", "Gia hạn giấy phép xây dựng đối với công trình cấp đặc biệt, cấp I, cấp II",
             {"days": 5}),
            ("1.009794.000.00.00.H34", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
             {"fees": [(LE_PHI, "Lệ phí cấp chứng chỉ hành nghề", 150_000, "")]}),
        ],
        result="Giấy phép xây dựng hoặc chứng chỉ hành nghề hoạt động xây dựng.",
        legal_basis="Luật Xây dựng số 50/2014/QH13 (sửa đổi 2020); Nghị định số 175/2024/NĐ-CP; "
                    "Thông tư số 38/2022/TT-BTC.",
        conditions="Công trình phù hợp quy hoạch chi tiết được duyệt; thiết kế đã được thẩm định theo quy định.",
        components=[
            ("Đơn đề nghị cấp giấy phép xây dựng", "", O, "pdf,doc,docx", 10, False),
            ("Giấy tờ hợp pháp về quyền sử dụng đất", "", CC, "pdf", 20, False),
            ("Bản vẽ thiết kế xây dựng", "Mặt bằng, mặt cắt, mặt đứng, móng.", O, "pdf", 100, False),
            ("Văn bản thông báo kết quả thẩm định thiết kế", "", C, "pdf", 20, False),
        ],
        fees=[(LE_PHI, "Lệ phí cấp giấy phép xây dựng", 150_000, "")],
    ),
    Family(
        field="DB", agencies=["000.00.13.H34"], days=3, frequent=("1.002809.000.00.00.H34",),
        procedures=[
            ("1.002809.000.00.00.H34", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
             {"fees": [(LE_PHI, "Lệ phí cấp đổi giấy phép lái xe", 135_000, "")]}),
            ("1.002820.000.00.00.H34", "Cấp lại giấy phép lái xe",
             {"days": 5, "fees": [(LE_PHI, "Lệ phí cấp lại giấy phép lái xe", 135_000, "")]}),
            ("1.002804.000.00.00.H34", "Cấp phù hiệu xe ô tô kinh doanh vận tải", {"days": 2}),
            ("1.002861.000.00.00.H34", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", {"days": 5}),
            ("1.001777.000.00.00.H34", "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ",
             {"days": 2, "fees": []}),
        ],
        result="Giấy phép, phù hiệu hoặc giấy phép lái xe (bản điện tử tích hợp trên VNeID).",
        legal_basis="Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15; Luật Đường bộ số 35/2024/QH15; "
                    "Nghị định số 158/2024/NĐ-CP.",
        conditions="Người đề nghị đủ điều kiện sức khỏe, phương tiện đã được kiểm định còn hiệu lực.",
        components=[
            ("Đơn đề nghị theo mẫu", "", O, "pdf,doc,docx", 5, False),
            ("Giấy khám sức khỏe của người lái xe", "Do cơ sở y tế có thẩm quyền cấp.", O, "pdf,jpg,png", 5, False),
            IDENTITY,
        ],
        fees=[(LE_PHI, "Lệ phí cấp giấy phép", 200_000, "")],
    ),
    Family(
        field="LTHH", agencies=["000.00.14.H34"], days=15,
        procedures=[
            ("2.000620.000.00.00.H34", "Cấp Giấy phép bán lẻ sản phẩm rượu"),
            ("2.000633.000.00.00.H34", "Cấp Giấy phép bán buôn sản phẩm thuốc lá",
             {"fees": [(PHI, "Phí thẩm định cấp giấy phép kinh doanh sản phẩm thuốc lá", 1_200_000, "")]}),
            ("2.000190.000.00.00.H34", "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu"),
            ("2.000181.000.00.00.H34", "Cấp lại Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", {"days": 7}),
        ],
        result="Giấy phép hoặc giấy chứng nhận đủ điều kiện kinh doanh.",
        legal_basis="Luật Thương mại số 36/2005/QH11; Nghị định số 105/2017/NĐ-CP; Nghị định số 83/2014/NĐ-CP; "
                    "Thông tư số 168/2016/TT-BTC.",
        conditions="Thương nhân có đăng ký kinh doanh ngành hàng; địa điểm kinh doanh ổn định, bảo đảm phòng cháy.",
        components=[
            ("Đơn đề nghị cấp giấy phép", "", O, "pdf,doc,docx", 10, False),
            LICENCE,
            ("Giấy tờ chứng minh quyền sử dụng địa điểm kinh doanh", "", C, "pdf,jpg", 10, False),
        ],
        fees=[(PHI, "Phí thẩm định điều kiện kinh doanh", 1_200_000, "")],
    ),
    Family(
        field="KCB", agencies=["000.00.15.H34"], days=30, level=3,
        procedures=[
            ("1.012263.000.00.00.H34", "Cấp giấy phép hành nghề đối với chức danh chuyên môn bác sỹ, y sỹ, điều "
             "dưỡng, hộ sinh", {"fees": [(PHI, "Phí thẩm định cấp giấy phép hành nghề", 360_000, "")]}),
            ("1.012268.000.00.00.H34", "Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh", {"days": 10}),
            ("1.012292.000.00.00.H34", "Cấp giấy phép hoạt động đối với phòng khám đa khoa",
             {"fees": [(PHI, "Phí thẩm định cấp giấy phép hoạt động", 5_700_000, "")]}),
        ],
        result="Giấy phép hành nghề hoặc giấy phép hoạt động khám bệnh, chữa bệnh.",
        legal_basis="Luật Khám bệnh, chữa bệnh số 15/2023/QH15; Nghị định số 96/2023/NĐ-CP; Thông tư số 59/2023/TT-BTC.",
        conditions="Có văn bằng chuyên môn phù hợp, đã qua kiểm tra đánh giá năng lực hành nghề; đủ sức khỏe.",
        components=[
            ("Đơn đề nghị cấp giấy phép", "Mẫu 01 Phụ lục I Nghị định 96/2023/NĐ-CP.", O, "pdf,doc,docx", 10, False),
            ("Văn bằng chuyên môn", "", CC, "pdf", 20, False),
            ("Giấy chứng nhận đủ sức khỏe hành nghề", "", O, "pdf,jpg,png", 5, False),
            ("Ảnh chân dung 4x6 cm nền trắng", "Chụp trong vòng 6 tháng.", O, "jpg,png", 2, False),
        ],
        fees=[(PHI, "Phí thẩm định cấp lại giấy phép", 180_000, "")],
    ),
    Family(
        field="DUOC", agencies=["000.00.15.H34"], days=20,
        procedures=[
            ("1.004616.000.00.00.H34", "Cấp Chứng chỉ hành nghề dược"),
            ("1.004604.000.00.00.H34", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc",
             {"days": 30, "fees": [(PHI, "Phí thẩm định điều kiện kinh doanh dược", 1_000_000, "")]}),
        ],
        result="Chứng chỉ hành nghề dược hoặc Giấy chứng nhận đủ điều kiện kinh doanh dược.",
        legal_basis="Luật Dược số 105/2016/QH13 (sửa đổi 2024); Nghị định số 54/2017/NĐ-CP; Thông tư số 277/2016/TT-BTC.",
        conditions="Có văn bằng chuyên môn và thời gian thực hành chuyên môn tại cơ sở dược phù hợp.",
        components=[
            ("Đơn đề nghị cấp Chứng chỉ hành nghề dược", "", O, "pdf,doc,docx", 10, False),
            ("Văn bằng chuyên môn", "", CC, "pdf", 20, False),
            ("Giấy xác nhận thời gian thực hành chuyên môn", "", O, "pdf", 10, False),
        ],
        fees=[(PHI, "Phí thẩm định cấp chứng chỉ hành nghề dược", 500_000, "")],
    ),
    Family(
        field="GDDT", agencies=["000.00.16.H34"], days=5, frequent=("1.005092.000.00.00.H34",),
        procedures=[
            ("1.005092.000.00.00.H34", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
             {"fees": [(PHI, "Phí cấp bản sao từ sổ gốc", 6_000, "Mỗi bản")]}),
            ("1.005088.000.00.00.H34", "Chỉnh sửa nội dung văn bằng, chứng chỉ"),
            ("1.001000.000.00.00.H34", "Công nhận văn bằng tốt nghiệp do cơ sở giáo dục nước ngoài cấp",
             {"days": 20}),
            ("2.001809.000.00.00.H34", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục",
             {"days": 20, "level": 3}),
        ],
        result="Bản sao văn bằng, chứng chỉ hoặc quyết định của Sở Giáo dục và Đào tạo.",
        legal_basis="Luật Giáo dục số 43/2019/QH14; Thông tư số 21/2019/TT-BGDĐT; Nghị định số 23/2015/NĐ-CP.",
        conditions="Người yêu cầu là người được cấp văn bằng hoặc người được ủy quyền hợp pháp.",
        components=[
            ("Đơn đề nghị", "", O, "pdf,doc,docx", 5, False),
            ("Văn bằng, chứng chỉ đề nghị chỉnh sửa hoặc giấy tờ liên quan", "", C, "pdf,jpg,png", 10, False),
            IDENTITY,
        ],
    ),
    Family(
        field="VL", agencies=["000.00.17.H34"], days=20,
        procedures=[
            ("1.000459.000.00.00.H34", "Giải quyết hưởng trợ cấp thất nghiệp", {"frequent": True}),
            ("1.000105.000.00.00.H34", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
             {"days": 5, "fees": [(LE_PHI, "Lệ phí cấp giấy phép lao động", 600_000, "")]}),
            ("2.000192.000.00.00.H34", "Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp hoạt động dịch vụ "
             "việc làm", {"days": 10, "fees": [(LE_PHI, "Lệ phí cấp giấy phép", 1_500_000, "")]}),
        ],
        result="Quyết định hưởng trợ cấp hoặc giấy phép.",
        legal_basis="Luật Việc làm số 74/2025/QH15; Bộ luật Lao động số 45/2019/QH14; Nghị định số 152/2020/NĐ-CP.",
        conditions="Đã đóng bảo hiểm thất nghiệp đủ thời gian theo quy định; nộp hồ sơ trong thời hạn 03 tháng.",
        components=[
            ("Đề nghị hưởng trợ cấp thất nghiệp hoặc văn bản đề nghị", "", O, "pdf,doc,docx", 5, False),
            ("Quyết định thôi việc hoặc hợp đồng lao động đã hết hạn", "", C, "pdf,jpg,png", 10, False),
            ("Sổ bảo hiểm xã hội", "", C, "pdf,jpg,png", 10, False),
        ],
    ),
    Family(
        field="HT", agencies=COMMUNES, days=3, frequent=("1.001193.000.00.00.H34", "1.000894.000.00.00.H34"),
        procedures=[
            ("1.001193.000.00.00.H34", "Đăng ký khai sinh", {"days": 1}),
            ("1.000894.000.00.00.H34", "Đăng ký kết hôn"),
            ("1.000656.000.00.00.H34", "Đăng ký khai tử", {"days": 1}),
            ("1.004873.000.00.00.H34", "Cấp Giấy xác nhận tình trạng hôn nhân",
             {"fees": [(LE_PHI, "Lệ phí cấp giấy xác nhận tình trạng hôn nhân", 3_000, "")]}),
            ("1.004884.000.00.00.H34", "Đăng ký lại khai sinh", {"days": 5}),
            ("1.004859.000.00.00.H34", "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
             {"fees": [(LE_PHI, "Lệ phí thay đổi, cải chính hộ tịch", 15_000, "")]}),
            ("1.001022.000.00.00.H34", "Đăng ký nhận cha, mẹ, con", {"days": 3}),
            ("1.004837.000.00.00.H34", "Đăng ký giám hộ", {"days": 3}),
        ],
        result="Giấy khai sinh, giấy chứng nhận kết hôn, trích lục hoặc giấy xác nhận (bản điện tử).",
        legal_basis="Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP; Thông tư số 04/2024/TT-BTP; "
                    "Nghị quyết của HĐND tỉnh Kon Tum về lệ phí hộ tịch.",
        conditions="Người yêu cầu đăng ký có nơi cư trú trên địa bàn xã, phường nơi nộp hồ sơ.",
        components=[
            ("Tờ khai đăng ký hộ tịch theo mẫu", "", O, "pdf,doc,docx", 5, True),
            ("Giấy chứng sinh, giấy báo tử hoặc giấy tờ thay thế", "Tùy thủ tục.", O, "pdf,jpg,png", 5, False),
            IDENTITY,
        ],
    ),
    Family(
        field="CTH", agencies=COMMUNES, days=1, level=3,
        procedures=[
            ("2.000815.000.00.00.H34", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền "
             "của Việt Nam cấp", {"fees": [(PHI, "Phí chứng thực bản sao từ bản chính", 2_000, "Mỗi trang")]}),
            ("2.000884.000.00.00.H34", "Chứng thực chữ ký trong các giấy tờ, văn bản",
             {"fees": [(PHI, "Phí chứng thực chữ ký", 10_000, "Mỗi trường hợp")]}),
            ("2.001035.000.00.00.H34", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử "
             "dụng đất và nhà ở", {"days": 2, "fees": [(PHI, "Phí chứng thực hợp đồng, giao dịch", 50_000, "")]}),
        ],
        result="Bản sao, văn bản được chứng thực.",
        legal_basis="Nghị định số 23/2015/NĐ-CP; Thông tư số 01/2020/TT-BTP; Thông tư số 226/2016/TT-BTC.",
        conditions="Bản chính không thuộc trường hợp bị cấm chứng thực; người yêu cầu có đủ năng lực hành vi dân sự.",
        components=[
            ("Bản chính giấy tờ, văn bản cần chứng thực", "Xuất trình khi nhận kết quả.", O, "pdf,jpg,png", 20, False),
            ("Bản sao cần chứng thực", "", C, "pdf,jpg,png", 20, False),
        ],
    ),
    Family(
        field="BTXH", agencies=COMMUNES, days=10, level=3,
        procedures=[
            ("1.001776.000.00.00.H34", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng"),
            ("1.001731.000.00.00.H34", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", {"days": 3}),
            ("2.000286.000.00.00.H34", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
             {"days": 30}),
            ("2.000355.000.00.00.H34", "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở",
             {"days": 5}),
        ],
        result="Quyết định hưởng trợ cấp, hỗ trợ hoặc Giấy xác nhận khuyết tật.",
        legal_basis="Nghị định số 20/2021/NĐ-CP; Luật Người khuyết tật số 51/2010/QH12; Thông tư số 01/2019/TT-BLĐTBXH.",
        conditions="Người thuộc đối tượng bảo trợ xã hội, có hộ khẩu thường trú trên địa bàn.",
        components=[
            ("Tờ khai đề nghị trợ giúp xã hội", "Mẫu số 1a, 1b Nghị định 20/2021/NĐ-CP.", O, "pdf,doc,docx", 5, False),
            ("Giấy tờ xác nhận đối tượng (giấy xác nhận khuyết tật, giấy chứng tử...)", "", C, "pdf,jpg,png", 10, False),
        ],
    ),
    Family(
        field="NCC", agencies=COMMUNES, days=12, level=3,
        procedures=[
            ("1.010818.000.00.00.H34", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ"),
            ("1.010819.000.00.00.H34", "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ",
             {"days": 5}),
        ],
        result="Quyết định trợ cấp hoặc giấy giới thiệu.",
        legal_basis="Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14; Nghị định số 131/2021/NĐ-CP.",
        conditions="Người đề nghị là thân nhân hoặc người thờ cúng liệt sĩ theo quy định.",
        components=[
            ("Bản khai theo mẫu", "Mẫu tại Phụ lục I Nghị định 131/2021/NĐ-CP.", O, "pdf,doc,docx", 5, False),
            ("Biên bản ủy quyền thờ cúng liệt sĩ", "", O, "pdf,jpg,png", 5, False),
        ],
    ),
]

# Demo accounts: (key, e-mail, full name, agency codes they work for).
ADMIN_EMAIL = "quantri@kontum.example"
CLERKS = [
    ("canbo.stnmt@kontum.example", "Trần Thị Hoa", [DNRE]),
    ("canbo.snnptnt@kontum.example", "Lê Văn Minh", [DARD]),
    ("canbo.kontum@kontum.example", "Phạm Thị Lan", ["000.30.01.H34"]),
]
# (e-mail, full name, agency codes, role keys of accounts.roles). A demo clerk holds the three dossier roles
# at its agencies, so that one login can walk the whole README path; in production they are three people.
ACCOUNTANT = ("ketoan@kontum.example", "Đỗ Thị Thu", [DNRE, DARD], ["accountant"])
OPERATOR = ("vanhanh@kontum.example", "Hoàng Văn Nam", [], ["operator"])
CITIZEN = {
    "email": "congdan@kontum.example",
    "full_name": "Nguyễn Văn An",
    # CCCD: 062 = born in Kon Tum, 0 = male born in the 20th century, 90 = 1990, then a serial.
    "identity_number": "062090004512",
    "phone": "0905123456",
    "date_of_birth": "1990-05-12",
    "gender": "male",
    "province_code": 51,  # Quảng Ngãi since the 2025 merger
    "commune_code": 23293,  # Phường Kon Tum
    "street_address": "Số 125 Trần Hưng Đạo, tổ 3",
}


def procedure_rows():
    """Yield one dict per demo procedure, its family's values with its own overrides applied."""
    names = {code: name for code, name, *_ in AGENCIES}
    for family in FAMILIES:
        agency_name = names[family.agencies[0]] if len(family.agencies) == 1 else "Ủy ban nhân dân cấp xã"
        for entry in family.procedures:
            code, name, *rest = entry
            own = rest[0] if rest else {}
            yield {
                "code": code,
                "name": name,
                "field": family.field,
                "agencies": family.agencies,
                "online_level": own.get("level", family.level),
                "processing_days": own.get("days", family.days),
                "result": family.result,
                "legal_basis": family.legal_basis,
                "conditions": family.conditions,
                "steps": steps(agency_name),
                "pay_before_processing": family.pay_before,
                "is_frequent": own.get("frequent", code in family.frequent),
                "components": family.components,
                "fees": own.get("fees", family.fees),
            }
