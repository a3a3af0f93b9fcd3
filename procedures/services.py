"""Writes to the catalogue: the demo catalogue and accounts, and synthetic procedures for load tests."""

import functools
import logging
import os
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction

from accounts.constants import AccountType
from accounts.models import User

from . import demo_data
from .constants import AgencyLevel, FeeKind, OnlineLevel, StaffRole
from .models import Agency, FeeItem, Field, Procedure, RequiredComponent
from .selectors import catalogue_changed

_NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}
DEMO_ACCOUNTS_FILE = "demo-accounts.txt"
CLERK_GROUP = "Cán bộ tiếp nhận, xử lý hồ sơ"


@dataclass
class SeedReport:
    created: dict[str, int]

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count


@functools.lru_cache(maxsize=32)
def blank_form_pdf(*, title: str) -> bytes:
    """Return a one-page blank form (đơn, tờ khai) in Vietnamese, for a component's download link."""
    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every subset at INFO

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.add_font("DejaVu", "", str(settings.PDF_FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(settings.PDF_FONT_BOLD))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C", **_NEXT_LINE)
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, title.upper(), align="C", **_NEXT_LINE)
    pdf.set_font("DejaVu", "", 11)
    pdf.ln(6)
    for line in [
        "Kính gửi: ....................................................................",
        "Tên tổ chức, cá nhân: ...........................................................",
        "Số CCCD / Mã số thuế: ..........................................................",
        "Địa chỉ: .......................................................................",
        "Điện thoại: .................................  E-mail: ..............................",
        "Nội dung đề nghị: ..............................................................",
        ".................................................................................",
        "Tôi cam đoan nội dung kê khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.",
    ]:
        pdf.multi_cell(0, 9, line, **_NEXT_LINE)
    pdf.ln(8)
    pdf.multi_cell(0, 7, "........, ngày ..... tháng ..... năm ........\nNGƯỜI ĐỀ NGHỊ\n(Ký, ghi rõ họ tên)", align="R", **_NEXT_LINE)
    return bytes(pdf.output())


@transaction.atomic
def demo_catalogue_load() -> SeedReport:
    """Create what is missing of the demo catalogue; rows that exist are left as they are (admins may edit them)."""
    report = SeedReport(created={})
    agencies = _demo_agencies_ensure(report=report)
    fields = _demo_fields_ensure(report=report)
    for row in demo_data.procedure_rows():
        procedure, created = Procedure.objects.get_or_create(
            code=row["code"],
            defaults={
                "field": fields[row["field"]],
                **{key: row[key] for key in ("name", "online_level", "processing_days", "result", "legal_basis",
                                             "conditions", "steps", "pay_before_processing", "is_frequent")},
            },
        )
        if created:
            report.add("thủ tục")
            procedure.agencies.set([agencies[code] for code in row["agencies"]])
        _demo_parts_ensure(procedure=procedure, row=row, report=report)
    return report


def _demo_agencies_ensure(*, report: SeedReport) -> dict[str, Agency]:
    wanted = [
        Agency(code=code, name=name, level=level, address=f"{address}, {demo_data.PROVINCE}", phone=phone,
               bank_account_name=name, bank_account_number=account, bank_name=bank)
        for code, name, level, address, phone, account, bank in demo_data.AGENCIES
    ]
    return _missing_create(model=Agency, wanted=wanted, report=report)


def _demo_fields_ensure(*, report: SeedReport) -> dict[str, Field]:
    wanted = [Field(code=code, name=name) for code, name in demo_data.FIELDS]
    return _missing_create(model=Field, wanted=wanted, report=report)


def _missing_create(*, model, wanted: list, report: SeedReport) -> dict:
    """Insert the rows of `wanted` whose code is not in the table yet; return all of them by code."""
    existing = model.objects.in_bulk([obj.code for obj in wanted], field_name="code")
    missing = [obj for obj in wanted if obj.code not in existing]
    model.objects.bulk_create(missing)
    if missing:
        catalogue_changed()  # bulk_create sends no signals
    report.add(str(model._meta.verbose_name), len(missing))
    return {**existing, **{obj.code: obj for obj in missing}}


def _demo_parts_ensure(*, procedure: Procedure, row: dict, report: SeedReport) -> None:
    have = set(procedure.components.values_list("name", flat=True))
    for position, (name, description, form, types, size, has_form) in enumerate(row["components"], start=1):
        if name in have:
            continue
        component = RequiredComponent(
            procedure=procedure, position=position, name=name, description=description, document_form=form,
            accepted_types=types, max_size_mb=size,
        )
        if has_form:
            pdf = blank_form_pdf(title=name)
            component.blank_form.save(f"{procedure.code}-{position}.pdf", ContentFile(pdf), save=False)
        component.save()
        report.add("thành phần hồ sơ")
    have_fees = set(procedure.fees.values_list("name", flat=True))
    for kind, name, amount, note in row["fees"]:
        if name not in have_fees:
            FeeItem.objects.create(procedure=procedure, kind=kind, name=name, amount=amount, note=note)
            report.add("phí, lệ phí")


def _passwords_path() -> Path:
    return Path(settings.VAR_DIR) / DEMO_ACCOUNTS_FILE


def demo_passwords_read() -> dict[str, str]:
    """Return the demo accounts' passwords written when they were created, by e-mail."""
    path = _passwords_path()
    if not path.exists():
        return {}
    pairs = (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return {email: password for email, password in pairs}


def _passwords_write(passwords: dict[str, str]) -> None:
    path = _passwords_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.writelines(f"{email}\t{password}\n" for email, password in passwords.items())


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[str, str, str]]:
    """Create the missing demo accounts with random passwords; return (role, e-mail, password) of each.

    A password is generated only when its account is created and is kept in VAR_DIR/demo-accounts.txt,
    so that later runs can show it again without touching the account.
    """
    passwords = demo_passwords_read()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[c for *_, codes in demo_data.CLERKS for c in codes])}

    def ensure(email: str, **fields) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            passwords[email] = secrets.token_urlsafe(12)
            user = User.objects.create_user(email, passwords[email], **fields)
        return user

    ensure(demo_data.ADMIN_EMAIL, full_name="Quản trị hệ thống", is_active=True, is_staff=True, is_superuser=True)
    group = _clerk_group()
    for email, full_name, codes in demo_data.CLERKS:
        clerk = ensure(email, full_name=full_name, is_active=True, is_staff=True)
        clerk.groups.add(group)
        for code in codes:
            for role in StaffRole.values:
                clerk.agency_roles.get_or_create(agency=agencies[code], role=role)
    citizen = dict(demo_data.CITIZEN)
    ensure(citizen.pop("email"), is_active=True, account_type=AccountType.INDIVIDUAL, **citizen)
    _passwords_write(passwords)

    roles = [("Quản trị", demo_data.ADMIN_EMAIL)]
    roles += [(f"Cán bộ ({', '.join(agencies[c].name for c in codes)})", email) for email, _, codes in demo_data.CLERKS]
    roles.append(("Công dân", demo_data.CITIZEN["email"]))
    return [(role, email, passwords.get(email, "")) for role, email in roles]


def _clerk_group() -> Group:
    """The clerks' group: they may read the catalogue in the admin (other apps add their own rights)."""
    group, _ = Group.objects.get_or_create(name=CLERK_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="procedures", codename__startswith="view_"))
    return group


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
    agencies = list(_demo_agencies_ensure(report=report).values()) + list(
        Agency.objects.exclude(code__in=[a[0] for a in demo_data.AGENCIES])
    )
    fields = list(_demo_fields_ensure(report=report).values())
    communes = [a for a in agencies if a.level == AgencyLevel.COMMUNE]
    last = Procedure.objects.filter(code__startswith=f"{prefix}.").order_by("-code").values_list("code", flat=True)
    start = int(last[0].split(".")[1]) + 1 if last else 1
    if start + count > 1_000_000:
        raise ValueError(f"Không còn đủ mã thủ tục trống với tiền tố {prefix}.")
    for batch_start in range(start, start + count, _BATCH):
        numbers = range(batch_start, min(batch_start + _BATCH, start + count))
        _generate_batch(numbers=numbers, prefix=prefix, rng=rng, agencies=agencies, communes=communes, fields=fields)
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
    catalogue_changed()  # bulk_create sends no signals


def procedure_popularity_record(*, procedure_id: int, at=None) -> None:
    """Count one submission of the procedure in its popularity (called by the dossiers' submission).

    One atomic UPDATE: log-add-exp of the stored value and the submission's time, so concurrent
    submissions never lose a count and no job has to decay the stored values.
    """
    from django.db.models import F, Value
    from django.db.models.functions import Abs, Exp, Greatest, Ln

    from .popularity import popularity_time

    t = Value(popularity_time(at))
    Procedure.objects.filter(pk=procedure_id).update(
        popularity=Greatest(F("popularity"), t) + Ln(Value(1.0) + Exp(-Abs(F("popularity") - t)))
    )
