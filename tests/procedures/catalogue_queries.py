"""Realistic catalogue queries over the real national data, typed the way people type on a phone.

Each query names the procedure it means by national code. Where the national database holds the same
act at two levels with the same name ("… (thực hiện tại cấp tỉnh)" / "(… cấp trung ương)", or two
identical "Cấp lại giấy phép lái xe"), either code is a hit. Written before tuning, from what citizens
ask the one-stop counter for; not every query is expected to hit.
"""

QUERIES: list[tuple[str, set[str]]] = [
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
