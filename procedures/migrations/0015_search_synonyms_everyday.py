"""More everyday names, shipped as editable synonyms (issue 25): the verbs citizens use for the official ones,
the abbreviations they type, the words they add that no name has.

Each was written from a query of tests/procedures/catalogue_queries.py that missed on the national catalogue
(bench/results/search_quality.md). Rows the operator already has (same phrase) are left as they are; reversing
the migration removes only rows still as shipped. The catalogue's version is bumped, so that every process
reads the new list (the search keeps the synonyms per catalogue version, procedures.search.catalogue).
"""

import time

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Greatest

# (what people type, the words of the legal names); an empty right side drops the words from the query.
# The longest phrase wins at a place of the query, and an expansion is not expanded again.
SYNONYMS = [
    # Passports: there is no "cấp lại" procedure, a lost, full or expired passport is issued anew.
    ("cấp lại hộ chiếu", "cấp hộ chiếu phổ thông"),
    ("làm lại hộ chiếu", "cấp hộ chiếu phổ thông"),
    ("đổi hộ chiếu", "cấp hộ chiếu phổ thông"),
    ("gia hạn hộ chiếu", "cấp hộ chiếu phổ thông"),
    ("làm hộ chiếu", "cấp hộ chiếu phổ thông"),
    # Building: a family's house is "nhà ở riêng lẻ" in the permits' names.
    ("giấy phép xây nhà", "giấy phép xây dựng mới nhà ở riêng lẻ"),
    ("phép xây nhà", "giấy phép xây dựng mới nhà ở riêng lẻ"),
    ("xây nhà", "xây dựng mới nhà ở riêng lẻ"),
    ("phép sửa nhà", "giấy phép xây dựng sửa chữa cải tạo nhà ở riêng lẻ"),
    ("sửa nhà", "sửa chữa cải tạo nhà ở riêng lẻ"),
    ("sửa chữa nhà", "sửa chữa cải tạo nhà ở riêng lẻ"),
    ("nhà ở gia đình", "nhà ở riêng lẻ"),
    ("nhà riêng", "nhà ở riêng lẻ"),
    ("gpxd", "giấy phép xây dựng"),
    # Land.
    ("làm sổ hồng", "cấp giấy chứng nhận quyền sử dụng đất lần đầu hộ gia đình cá nhân"),
    ("cấp lại sổ đỏ", "cấp lại giấy chứng nhận bị mất"),
    ("làm lại sổ đỏ", "cấp lại giấy chứng nhận bị mất"),
    ("mất sổ đỏ", "cấp lại giấy chứng nhận bị mất"),
    ("cấp lại sổ hồng", "cấp lại giấy chứng nhận bị mất"),
    ("mất sổ hồng", "cấp lại giấy chứng nhận bị mất"),
    ("sang tên sổ đỏ", "đăng ký biến động chuyển nhượng quyền sử dụng đất"),
    ("sang tên sổ hồng", "đăng ký biến động chuyển nhượng quyền sử dụng đất"),
    ("sang tên nhà đất", "đăng ký biến động chuyển nhượng quyền sử dụng đất"),
    ("sang tên đất", "đăng ký biến động chuyển nhượng quyền sử dụng đất"),
    ("sang tên xe", "cấp chứng nhận đăng ký xe thay đổi chủ xe"),
    ("gcnqsdđ", "giấy chứng nhận quyền sử dụng đất"),
    ("qsdđ", "quyền sử dụng đất"),
    ("gcn", "giấy chứng nhận"),
    # Identity, residence, records.
    ("xác nhận số cmnd", "xác nhận số chứng minh nhân dân"),
    ("xác nhận số chứng minh nhân dân", "xác nhận số chứng minh nhân dân"),  # not "căn cước" here
    ("giấy xác nhận cư trú", "xác nhận thông tin về cư trú"),
    ("xác nhận cư trú", "xác nhận thông tin về cư trú"),
    ("cắt hộ khẩu", "xóa đăng ký thường trú"),
    ("xóa hộ khẩu", "xóa đăng ký thường trú"),
    ("lltp", "lý lịch tư pháp"),
    ("tthn", "tình trạng hôn nhân"),
    ("đổi tên cho con", "thay đổi cải chính hộ tịch"),
    ("đổi tên con", "thay đổi cải chính hộ tịch"),
    ("đổi tên trong giấy khai sinh", "thay đổi cải chính hộ tịch"),
    ("đổi tên khai sinh", "thay đổi cải chính hộ tịch"),
    ("đổi họ tên", "thay đổi cải chính hộ tịch"),
    ("cải chính ngày sinh", "cải chính hộ tịch"),
    ("sửa ngày sinh", "cải chính hộ tịch"),
    ("nhận con nuôi", "nuôi con nuôi"),
    # Driving.
    ("thi bằng lái xe", "cấp giấy phép lái xe"),
    ("thi bằng lái", "cấp giấy phép lái xe"),
    ("học bằng lái", "cấp giấy phép lái xe"),
    ("lái xe máy", "lái xe"),
    ("lái xe ô tô", "lái xe"),
    ("xe mới mua", "xe lần đầu"),
    ("mới mua", "lần đầu"),
    ("lần 1", "lần đầu"),
    ("lần một", "lần đầu"),
    ("lần thứ nhất", "lần đầu"),
    # Business.
    ("đóng cửa công ty", "giải thể doanh nghiệp"),
    ("đóng cửa doanh nghiệp", "giải thể doanh nghiệp"),
    ("đóng cửa hộ kinh doanh", "chấm dứt hoạt động hộ kinh doanh"),
    ("tạm dừng kinh doanh", "tạm ngừng kinh doanh"),
    ("nghỉ kinh doanh", "tạm ngừng kinh doanh"),
    ("mở hộ kinh doanh", "đăng ký thành lập hộ kinh doanh"),
    ("mở cửa hàng", "đăng ký thành lập hộ kinh doanh"),
    ("đkkd", "đăng ký kinh doanh"),
    ("hkd", "hộ kinh doanh"),
    ("đăng ký hkd", "đăng ký thành lập hộ kinh doanh"),
    ("đk hkd", "đăng ký thành lập hộ kinh doanh"),
    ("mở hkd", "đăng ký thành lập hộ kinh doanh"),
    ("dn", "doanh nghiệp"),
    ("cty", "công ty"),
    ("đăng ký mã số thuế", "đăng ký thuế lần đầu"),
    ("đăng ký mst", "đăng ký thuế lần đầu"),
    ("attp", "an toàn thực phẩm"),
    ("pccc", "phòng cháy chữa cháy"),
    # Social insurance: the names write "TNLĐ", citizens the words.
    ("tai nạn lao động", "tnlđ"),
    ("bệnh nghề nghiệp", "bnn"),
    ("làm thai sản", "hưởng chế độ thai sản"),
    ("hưởng thai sản", "hưởng chế độ thai sản"),
    ("tiền thai sản", "hưởng chế độ thai sản"),
    ("bhtn", "bảo hiểm thất nghiệp"),
    # Certified copies: what citizens call "công chứng" is a "chứng thực bản sao" at the commune.
    ("photo công chứng", "chứng thực bản sao"),
    ("công chứng giấy tờ", "chứng thực bản sao"),
    # Words a citizen adds that no name has.
    ("cho mẹ", ""), ("cho bố", ""), ("cho cha", ""), ("cho ông", ""), ("cho bà", ""), ("cho vợ", ""),
    ("cho chồng", ""), ("cho cháu", ""), ("cho em", ""), ("cho người thân", ""), ("cho gia đình", ""),
    ("cho con thứ hai", ""), ("cho con thứ 2", ""), ("cho con thứ ba", ""), ("cho con đầu lòng", ""),
    ("con thứ hai", ""), ("con thứ 2", ""), ("con thứ ba", ""), ("con thứ 3", ""), ("con đầu lòng", ""),
    ("mới sinh", ""), ("mới mất", ""), ("vừa mất", ""),
    ("ở xã", ""), ("tại xã", ""), ("ở phường", ""), ("tại phường", ""), ("ubnd xã", ""), ("ubnd phường", ""),
    ("tại ubnd", ""), ("ở ubnd", ""),
    ("cho người thuê trọ", ""), ("thuê trọ", ""),
    ("khi hết hạn", ""), ("hết hạn", ""), ("mất ví", ""),
    ("khi sinh con", ""), ("để xin việc", ""), ("để mua nhà", ""), ("để chia cho con", ""),
    ("online", ""), ("bao lâu", ""), ("hồ sơ gồm những gì", ""),
    ("cần những giấy tờ gì", ""), ("cần giấy tờ gì", ""), ("mất bao lâu", ""), ("lệ phí bao nhiêu", ""),
]


# Rows of migration 0006 changed here when the operator left them as shipped: (phrase, shipped, now).
# "làm" stood for "cấp" (làm hộ chiếu); it hid what is not issued ("làm di chúc" is "Chứng thực di chúc"),
# and the ranking now puts the "Cấp …" procedure first without it.
CHANGED = [("làm", "cấp", "")]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("procedures", "SearchSynonym")
    for phrase, expansion in SYNONYMS:
        SearchSynonym.objects.get_or_create(phrase=phrase, defaults={"expansion": expansion})
    for phrase, shipped, now in CHANGED:
        SearchSynonym.objects.filter(phrase=phrase, expansion=shipped).update(expansion=now)
    # The catalogue's version (procedures.versioning): the old one plus one, or the clock when that is higher.
    CatalogueVersion = apps.get_model("procedures", "CatalogueVersion")
    CatalogueVersion.objects.filter(pk=1).update(value=Greatest(F("value") + 1, Value(time.time_ns() // 1000)))


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("procedures", "SearchSynonym")
    for phrase, expansion in SYNONYMS:
        SearchSynonym.objects.filter(phrase=phrase, expansion=expansion).delete()
    for phrase, shipped, now in CHANGED:
        SearchSynonym.objects.filter(phrase=phrase, expansion=now).update(expansion=shipped)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0014_catalogue_version")]

    operations = [migrations.RunPython(seed, unseed)]
