"""Synthetic procedures in bulk for load tests and benchmarks (`generate_procedures`): plausible, not real."""

import random

from django.db import transaction

from procedures.constants import AgencyLevel, FeeKind, OnlineLevel
from procedures.models import Agency, FeeItem, Procedure, RequiredComponent
from procedures.services import catalogue_analyzed, catalogue_changed

from . import data as demo_data
from .services import SeedReport, demo_agencies_ensure, demo_fields_ensure

# Word lists for synthetic procedures: plausible names, not real ones.
_ACTIONS = ["Cấp", "Cấp lại", "Gia hạn", "Điều chỉnh", "Thu hồi", "Xác nhận", "Đăng ký", "Thẩm định", "Phê duyệt",
            "Công nhận", "Cấp đổi", "Chấp thuận"]
_PAPERS = ["giấy phép", "giấy chứng nhận", "chứng chỉ hành nghề", "văn bản chấp thuận", "quyết định công nhận",
           "giấy xác nhận", "giấy chứng nhận đủ điều kiện"]
_SUBJECTS = [
    "khai thác khoáng sản làm vật liệu xây dựng thông thường", "kinh doanh dịch vụ lữ hành nội địa",
    "hoạt động của cơ sở giáo dục nghề nghiệp", "sản xuất giống cây trồng", "kinh doanh khí dầu mỏ hóa lỏng",
    "hoạt động in xuất bản phẩm", "quảng cáo ngoài trời", "biểu diễn nghệ thuật", "hoạt động bến thủy nội địa",
    "vận tải hành khách theo tuyến cố định", "cơ sở bảo trợ xã hội", "tổ chức hành nghề công chứng",
    "kinh doanh dịch vụ karaoke", "cơ sở lưu trú du lịch", "trồng cây dược liệu dưới tán rừng",
    "nuôi trồng thủy sản lồng bè", "sơ chế, chế biến cà phê", "kinh doanh phân bón", "xây dựng công trình thủy lợi",
    "đấu nối đường nhánh vào quốc lộ", "hoạt động phòng khám chuyên khoa", "kinh doanh vàng trang sức",
    "thu gom, vận chuyển chất thải rắn", "hoạt động tư vấn giám sát", "cơ sở giết mổ gia súc",
    "kinh doanh dịch vụ bảo vệ", "trung tâm hỗ trợ phát triển giáo dục hòa nhập", "hợp tác xã nông nghiệp",
]
_WHO = ["", " đối với tổ chức", " đối với cá nhân", " đối với hộ kinh doanh", " trên địa bàn tỉnh",
        " đối với doanh nghiệp có vốn đầu tư nước ngoài", " quy mô nhỏ", " quy mô vừa và lớn"]
_COMPONENTS = [
    ("Đơn đề nghị theo mẫu", "pdf,doc,docx", 10),
    ("Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", "pdf", 10),
    ("Bản thuyết minh điều kiện cơ sở vật chất", "pdf", 20),
    ("Văn bằng, chứng chỉ chuyên môn của người phụ trách", "pdf,jpg,png", 10),
    ("Bản vẽ mặt bằng, sơ đồ vị trí", "pdf", 50),
    ("Giấy tờ chứng minh quyền sử dụng địa điểm", "pdf,jpg", 10),
    ("Báo cáo kết quả hoạt động năm trước", "pdf,xls,xlsx", 20),
]
_FEES = [(FeeKind.FEE, "Phí thẩm định hồ sơ"), (FeeKind.CHARGE, "Lệ phí cấp giấy")]
_BATCH = 1000


def procedures_generate(*, count: int, prefix: str = "9", seed: int | None = None) -> int:
    """Create `count` synthetic procedures in bulk, codes `<prefix>.NNNNNN.000.00.00.H34` after the last one."""
    rng = random.Random(seed)
    report = SeedReport(created={})
    # The demo's departments and People's Committees (not its police, so that generated catalogues stay the
    # ones earlier benchmarks measured), and any agency the database holds besides the demo's.
    demo = demo_agencies_ensure(report=report)
    agencies = [demo[a[0]] for a in demo_data.AGENCIES] + list(Agency.objects.exclude(code__in=list(demo)))
    fields = list(demo_fields_ensure(report=report).values())
    communes = [a for a in agencies if a.level == AgencyLevel.COMMUNE]
    last = Procedure.objects.filter(code__startswith=f"{prefix}.").order_by("-code").values_list("code", flat=True)
    start = int(last[0].split(".")[1]) + 1 if last else 1
    if start + count > 1_000_000:
        raise ValueError(f"Không còn đủ mã thủ tục trống với tiền tố {prefix}.")
    for batch_start in range(start, start + count, _BATCH):
        numbers = range(batch_start, min(batch_start + _BATCH, start + count))
        _generate_batch(numbers=numbers, prefix=prefix, rng=rng, agencies=agencies, communes=communes, fields=fields)
    # As the import does: the planner's statistics of the grown table at once, not when autovacuum comes by (a
    # search of two common words took 11 ms at 100 000 procedures never analysed, 1.3 ms once analysed).
    catalogue_analyzed(rows=count)
    return count


@transaction.atomic
def _generate_batch(*, numbers, prefix, rng, agencies, communes, fields) -> None:
    procedures, their_agencies = [], []
    for number in numbers:
        chosen = communes if communes and rng.random() < 0.2 else [rng.choice(agencies)]
        name = f"{rng.choice(_ACTIONS)} {rng.choice(_PAPERS)} {rng.choice(_SUBJECTS)}{rng.choice(_WHO)}"
        procedure = Procedure(
            code=f"{prefix}.{number:06d}.000.00.00.H34",
            name=name,
            field=rng.choice(fields),
            online_level=rng.choice(OnlineLevel.values),
            processing_days=rng.choice([1, 3, 5, 7, 10, 15, 20, 30]),
            result=f"{name[0].upper()}{name[1:]} (bản điện tử).",
            conditions="Tổ chức, cá nhân đáp ứng điều kiện theo quy định của pháp luật chuyên ngành.",
            steps=demo_data.steps(chosen[0].name if len(chosen) == 1 else "Ủy ban nhân dân cấp xã"),
            pay_before_processing=rng.random() < 0.3,
            is_frequent=rng.random() < 0.02,
        )
        procedure.refresh_search_text(agency_names=[a.name for a in chosen])
        procedure.set_levels_from(chosen)
        procedures.append(procedure)
        their_agencies.append(chosen)
    Procedure.objects.bulk_create(procedures)
    Through = Procedure.agencies.through
    Through.objects.bulk_create(
        [Through(procedure_id=p.pk, agency_id=a.pk) for p, chosen in zip(procedures, their_agencies) for a in chosen]
    )
    components, fees = [], []
    for procedure in procedures:
        for position, (name, types, size) in enumerate(rng.sample(_COMPONENTS, rng.randint(2, 4)), start=1):
            components.append(RequiredComponent(procedure=procedure, position=position, name=name,
                                                accepted_types=types, max_size_mb=size))
        for kind, name in rng.sample(_FEES, rng.randint(0, 2)):
            fees.append(FeeItem(procedure=procedure, kind=kind, name=name, amount=rng.randint(1, 60) * 50_000))
    RequiredComponent.objects.bulk_create(components)
    FeeItem.objects.bulk_create(fees)
    catalogue_changed()
