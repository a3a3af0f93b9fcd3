"""Realistic catalogue queries over the real national data, typed the way people type on a phone.

Each query names the procedure it means by national code. Where the national database holds the same
act at two levels with the same name ("… (thực hiện tại cấp tỉnh)" / "(… cấp trung ương)", or two
identical "Cấp lại giấy phép lái xe"), either code is a hit. Not every query is expected to hit.

The first set ("earlier") was written before the search was tuned, from what citizens ask the one-stop
counter for. The others (issue 25) were written from the kinds of query that still failed, each answer
picked by reading the catalogue: the procedure a clerk would open for that citizen. Passports have no
"cấp lại" procedure: a lost, full or expired passport is a new "Cấp hộ chiếu phổ thông"; a citizen's
"căn cước" is, unless said otherwise, the card for 14 and over.
"""

KINDS = {
    "earlier": "earlier set (sessions before issue 25)",
    "verbs": "everyday verbs for the official ones (làm lại, đổi, xin, sang tên, đóng cửa…)",
    "extra": "words a citizen adds that the name lacks (cho con, bị mất, ở xã…)",
    "numbers": "numbers written otherwise (cấp 3 / cấp III, mức 2 / 02, mười bốn / 14, lần 1 / lần đầu)",
    "abbrev": "abbreviations (CCCD, GPXD, QSDĐ, GCN, ĐKKD, HKD, LLTP, BHYT…)",
    "main": "the main procedure above its rarer variants",
}

_EARLIER: list[tuple[str, set[str]]] = [
    # civil status (hộ tịch), the most frequent at a commune
    ("khai sinh", {"1.001193"}),
    ("dang ky khai sinh", {"1.001193"}),
    ("dang ki khai sinh", {"1.001193"}),  # i for y
    ("lam giay khai sinh cho con", {"1.001193"}),
    ("dk khai sinh", {"1.001193"}),  # abbreviation
    ("dang ky khai sihn", {"1.001193"}),  # two letters swapped
    ("dang ky khai si", {"1.001193"}),  # still typing
    ("khai sinh co yeu to nuoc ngoai", {"2.000528"}),
    ("dang ky lai khai sinh", {"1.004884"}),
    ("ban sao giay khai sinh", {"2.000635"}),
    ("trich luc ho tich", {"2.000635"}),
    ("ket hon", {"1.000894"}),
    ("ĐĂNG KÝ KẾT HÔN", {"1.000894"}),
    ("dang ki ket hon", {"1.000894"}),
    ("dang ky kett hon", {"1.000894"}),  # one letter too many
    ("ket hon voi nguoi nuoc ngoai", {"2.000806"}),
    ("giay xac nhan doc than", {"1.004873"}),
    ("xac nhan tinh trang hon nhan", {"1.004873"}),
    ("khai tu", {"1.000656"}),
    ("bao tu", {"1.000656"}),
    ("lam giay chung tu", {"1.000656"}),
    ("dang ky giam ho", {"1.004837"}),
    ("nuoi con nuoi", {"2.001263"}),
    ("cai chinh ho tich", {"1.004859"}),
    ("thay doi cai chinh ho tich", {"1.004859"}),
    # identity, residence, travel (Công an)
    ("cap doi can cuoc", {"1.014063", "2.001195"}),
    ("doi cccd", {"1.014063", "2.001195"}),
    ("cap lai can cuoc", {"1.014064", "2.001194"}),
    ("cap lai can cuco", {"1.014064", "2.001194"}),  # swapped letters
    ("can cuoc duoi 14 tuoi", {"1.014062"}),
    ("lam ho chieu", {"1.001456", "1.001471"}),
    ("passport", {"1.001456", "1.001471"}),
    ("cap ho chieu pho thong", {"1.001456", "1.001471"}),
    ("dang ky thuong tru", {"1.004222"}),
    ("nhap ho khau", {"1.004222"}),
    ("dang ky tam tru", {"1.004194"}),
    ("dang ki tam tru", {"1.004194"}),
    ("dang ky tam truu", {"1.004194"}),  # doubled letter
    ("gia han tam tru", {"1.002755"}),
    ("xoa dang ky thuong tru", {"1.003197"}),
    ("xac nhan thong tin cu tru", {"1.010041"}),
    ("ly lich tu phap", {"3.000333"}),
    ("li lich tu phap", {"3.000333"}),  # i for y
    # driving licence and vehicles
    ("bang lai xe", {"3.000346"}),
    ("doi bang lai", {"3.000347"}),
    ("doi giay phep lai xe", {"3.000347"}),
    ("cap lai bang lai xe", {"1.002820", "3.000348"}),
    ("giay phep lai xe quoc te", {"3.000353"}),
    ("gplx quoc te", {"3.000353"}),
    ("cap lai bien so xe", {"1.013080", "1.013082"}),
    # land (đất đai)
    ("lam so do", {"1.013978"}),
    ("cap doi so do", {"1.012783"}),
    ("cap lai so do bi mat", {"1.012786"}),
    ("tach thua dat", {"1.012784"}),
    ("chuyen nhuong quyen su dung dat", {"1.012787"}),
    # justice, business, social insurance
    ("chung thuc di chuc", {"2.001019"}),
    ("chung thuc ban sao", {"2.000815"}),
    ("sao y ban chinh", {"2.000815"}),
    ("dang ky ho kinh doanh", {"1.001612"}),
    ("dang ky kinh doanh", {"1.001612"}),
    ("mo cong ty co phan", {"2.002043"}),
    ("thanh lap doanh nghiep tu nhan", {"2.001610"}),
    ("giai the hop tac xa", {"1.004982"}),
    ("khoi phuc ma so thue", {"1.008510"}),
    ("nhap quoc tich viet nam", {"2.002039"}),
    ("thoi quoc tich", {"2.002036"}),
    ("cong nhan ho ngheo", {"1.011607"}),
    ("bhxh mot lan", {"1.001613"}),
    ("rut bao hiem xa hoi mot lan", {"1.001613"}),
    ("an toan thuc pham", {"2.001827"}),
]

PASSPORT = {"1.001456", "1.001471"}
ID_CARD = {"1.014061", "2.000200", "1.001247"}  # the card for 14 and over, at commune, province or ministry
ID_REISSUE = {"1.014064", "2.001194"}
ID_RENEW = {"1.014063", "2.001195"}
HOUSE_PERMIT = {"1.013225"}  # new building permit, class III/IV works and private houses (commune)
LAND_FIRST = {"1.013978"}  # first land certificate for households and individuals
HEALTH_CARD = {"2.000639", "1.003116"}
CHILD_CARD = {"1.014062", "1.012549"}
VEHICLE_FIRST = {"1.013067", "1.012575", "1.013066"}

_NEW: dict[str, list[tuple[str, set[str]]]] = {
    "verbs": [
        ("cấp lại hộ chiếu", PASSPORT),
        ("cap lai ho chieu", PASSPORT),
        ("làm lại hộ chiếu", PASSPORT),
        ("doi ho chieu", PASSPORT),
        ("gia han ho chieu", PASSPORT),
        ("xin giấy phép xây nhà", HOUSE_PERMIT),
        ("xin phep xay nha", HOUSE_PERMIT),
        ("lam lai can cuoc", ID_REISSUE),
        ("doi can cuoc", ID_RENEW),
        ("làm căn cước", ID_CARD),
        ("lam the can cuoc", ID_CARD),
        ("xin giay chung tu", {"1.000656"}),
        ("bao tam vang", {"1.003677"}),
        ("cat ho khau", {"1.003197"}),
        ("xin giay xac nhan cu tru", {"1.010041"}),
        ("lam bang lai xe", {"3.000346"}),
        ("thi bang lai xe", {"3.000346"}),
        ("sang ten xe", {"1.013076"}),
        ("sang tên sổ đỏ", {"1.013831"}),
        ("sang ten nha dat", {"1.013831"}),
        ("lam so hong", LAND_FIRST),
        ("cap lai so do", {"1.012786"}),
        ("mat so do", {"1.012786"}),
        ("đóng cửa công ty", {"2.002023"}),
        ("dong cua ho kinh doanh", {"1.001266"}),
        ("tam dung kinh doanh", {"1.001570", "2.002029"}),
        ("mo ho kinh doanh", {"1.001612"}),
        ("lam thai san", {"2.000693"}),
        ("nhan tien thai san", {"2.000693"}),
        ("huong che do om dau", {"1.001667"}),
        ("xin con nuoi", {"2.001263"}),
        ("nhan con nuoi", {"2.001263"}),
        ("cong chung giay to", {"2.000815"}),
        ("photo cong chung", {"2.000815"}),
        ("xin phieu ly lich tu phap", {"3.000333"}),
        ("doi ten cho con", {"1.004859"}),
    ],
    "extra": [
        ("lam giay khai sinh cho con moi sinh o xa", {"1.001193"}),
        ("dang ky khai sinh cho con thu hai", {"1.001193"}),
        ("dang ky ket hon tai ubnd xa", {"1.000894"}),
        ("dang ky thuong tru cho con", {"1.004222"}),
        ("dang ky tam tru cho nguoi thue tro", {"1.004194"}),
        ("xin giay phep lai xe may", {"3.000346"}),
        ("doi bang lai xe het han", {"3.000347"}),
        ("cap lai can cuoc bi mat vi", ID_REISSUE),
        ("lam lai can cuoc bi mat", ID_REISSUE),
        ("dang ky khai tu cho ong", {"1.000656"}),
        ("khai tu cho nguoi than moi mat", {"1.000656"}),
        ("xac nhan tinh trang hon nhan de mua nha", {"1.004873"}),
        ("chung thuc ban sao bang tot nghiep", {"2.000815"}),
        ("dang ky ho kinh doanh ban tap hoa", {"1.001612"}),
        ("ly lich tu phap de xin viec", {"3.000333"}),
        ("cap the bao hiem y te cho me", HEALTH_CARD),
        ("huong thai san khi sinh con", {"2.000693"}),
        ("giay phep xay dung nha o gia dinh", HOUSE_PERMIT),
        ("xin phep sua nha", {"1.013229"}),
        ("giay phep sua chua nha", {"1.013229"}),
        ("tach thua dat de chia cho con", {"1.012784"}),
        ("dang ky giam ho cho chau", {"1.004837"}),
        ("dang ky nhan cha cho con", {"1.001022"}),
        ("doi ten trong giay khai sinh", {"1.004859"}),
        ("cai chinh ngay sinh", {"1.004859"}),
        ("lam ho chieu lan dau cho con", PASSPORT),
        ("gia hạn tạm trú khi hết hạn", {"1.002755"}),
    ],
    "numbers": [
        ("giay phep xay dung cong trinh cap 3", HOUSE_PERMIT),
        ("giay phep xay dung cap 4", HOUSE_PERMIT),
        ("giay phep xay dung cap I", {"1.013236"}),
        ("giay phep xay dung cap 2", {"1.013236"}),
        ("gia han giay phep xay dung cap 1", {"1.013233"}),
        ("dinh danh dien tu muc 2", {"3.000228"}),
        ("tai khoan dinh danh muc do 1", {"1.011410"}),
        ("dinh danh muc do hai", {"3.000228"}),
        ("chung chi hanh nghe do dac hang 2", {"1.000049"}),
        ("chung chi do dac hang 1", {"1.000063"}),
        ("do dac ban do hang hai", {"1.000049"}),
        ("can cuoc cho tre duoi muoi bon tuoi", CHILD_CARD),
        ("căn cước từ 14 tuổi trở lên", ID_CARD),
        ("the bhyt cho tre duoi 6 tuoi", {"2.001023", "2.000986"}),
        ("bao hiem y te tre duoi sau tuoi", {"2.001023", "2.000986"}),
        ("trung tam sat hach lai xe loai 3", {"3.000361"}),
        ("sat hach lai xe loai ba", {"3.000361"}),
        ("trung tam sat hach loai mot", {"3.000355"}),
        ("dang ky xe lan 1", VEHICLE_FIRST),
        ("cap so do lan 1", LAND_FIRST),
        ("cap so do lan thu nhat", LAND_FIRST),
        ("xac nhan so chung minh nhan dan 9 so", {"1.012566"}),
        ("xac nhan so cmnd chin so", {"1.012566"}),
        ("giam tien thue dat 2025", {"3.000518"}),
        ("thanh lap cong ty tnhh 1 thanh vien", {"2.001583"}),
        ("thanh lap cong ty tnhh 2 thanh vien", {"2.001199"}),
    ],
    "abbrev": [
        ("cap lai cccd", ID_REISSUE),
        ("làm CCCD", ID_CARD),
        ("lam cccd cho con duoi 14 tuoi", CHILD_CARD),
        ("cap gpxd", HOUSE_PERMIT),
        ("GPXD nhà ở", HOUSE_PERMIT),
        ("gia han gpxd", {"1.013227"}),
        ("Cấp GCN QSDĐ lần đầu", LAND_FIRST),
        ("cap gcn qsdd", LAND_FIRST),
        ("cap doi gcn qsdd", {"1.012783"}),
        ("cap lai gcn bi mat", {"1.012786"}),
        ("chuyen nhuong qsdd", {"1.013831", "1.012787"}),
        ("ĐKKD hộ kinh doanh", {"1.001612"}),
        ("cap lai giay dkkd ho kinh doanh", {"2.000575"}),
        ("dang ky hkd", {"1.001612"}),
        ("cham dut hkd", {"1.001266"}),
        ("dang ky thanh lap dn tu nhan", {"2.001610"}),
        ("giai the dn", {"2.002023"}),
        ("lltp", {"3.000333"}),
        ("cap lai gplx", {"3.000348", "1.002820"}),
        ("doi gplx", {"3.000347"}),
        ("cap the bhyt", HEALTH_CARD),
        ("cap lai the bhyt", {"1.001294", "1.001327"}),
        ("giay chung nhan attp", {"2.001827"}),
        ("tham duyet pccc", {"3.000489", "3.000492"}),
        ("dang ky mst ca nhan", {"1.008498"}),
        ("dk tam tru", {"1.004194"}),
        ("dk thuong tru", {"1.004222"}),
        ("xac nhan tthn", {"1.004873"}),
        ("dk xe may moi mua", VEHICLE_FIRST),
        ("huong che do tai nan lao dong lan dau", {"1.001632"}),
    ],
    "main": [
        ("giay phep xay dung", {"1.013225", "1.013236"}),
        ("cap giay phep xay dung", {"1.013225", "1.013236"}),
        ("can cuoc", ID_CARD),
        ("the can cuoc", ID_CARD),
        ("ho chieu", PASSPORT),
        ("dang ky nhan cha me con", {"1.001022"}),
        ("trich luc khai sinh", {"2.000635"}),
        ("giay phep lai xe", {"3.000346"}),
        ("thanh lap cong ty", {"2.001583", "2.001199", "2.002043"}),
        ("dang ky xe", VEHICLE_FIRST),
        ("the bao hiem y te", HEALTH_CARD),
        ("che do thai san", {"2.000693"}),
        ("tam tru", {"1.004194"}),
        ("thuong tru", {"1.004222"}),
        ("ho kinh doanh", {"1.001612"}),
        ("chung thuc", {"2.000815"}),
        ("giay chung nhan quyen su dung dat", LAND_FIRST),
        ("nhan cha con", {"1.001022"}),
        ("giam ho", {"1.004837"}),
        ("dinh danh dien tu", {"3.000228"}),
        ("khai sinh cho con", {"1.001193"}),
        ("ket hon o xa", {"1.000894"}),
    ],
}

QUERIES: list[tuple[str, set[str], str]] = [(q, meant, "earlier") for q, meant in _EARLIER] + [
    (q, meant, kind) for kind, queries in _NEW.items() for q, meant in queries
]
