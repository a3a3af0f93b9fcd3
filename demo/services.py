"""The demo catalogue and accounts that `make run` shows (`seed_demo`)."""

import functools
import os
import secrets
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from accounts.constants import AccountType
from accounts.models import User
from accounts.roles import ROLES_BY_KEY
from accounts.staff import staff_roles_sync
from appointments.models import Counter, CounterHours
from common.pdf import NEXT_LINE, pdf_document, pdf_letterhead
from procedures.constants import AgencyKind, AgencyLevel
from procedures.imports import fields_by_name
from procedures.models import Agency, FeeItem, Field, Procedure, ReceivingRule, RequiredComponent
from procedures.services import catalogue_changed

from . import data as demo_data

DEMO_ACCOUNTS_FILE = "demo-accounts.txt"


@dataclass
class SeedReport:
    created: dict[str, int]

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count


@functools.lru_cache(maxsize=32)
def blank_form_pdf(*, title: str) -> bytes:
    """Return a one-page blank form (đơn, tờ khai) in Vietnamese, for a component's download link."""
    pdf = pdf_document(title=title)
    pdf_letterhead(pdf)  # no agency, no date: the applicant writes them
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, title.upper(), align="C", **NEXT_LINE)
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
        pdf.multi_cell(0, 9, line, **NEXT_LINE)
    pdf.ln(8)
    pdf.multi_cell(0, 7, "........, ngày ..... tháng ..... năm ........\nNGƯỜI ĐỀ NGHỊ\n(Ký, ghi rõ họ tên)", align="R", **NEXT_LINE)
    return bytes(pdf.output())


@transaction.atomic
def demo_catalogue_load() -> SeedReport:
    """Create what is missing of the demo catalogue; rows that exist are left as they are (admins may edit them)."""
    report = SeedReport(created={})
    agencies = demo_agencies_ensure(report=report)
    fields = demo_fields_ensure(report=report)
    demo_receiving_map_ensure(agencies=agencies, report=report)
    demo_counters_ensure(agencies=agencies.values(), report=report)
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
            procedure.set_levels_from(procedure.agencies.all())
            procedure.save(update_fields=["levels"])
        # A procedure the national import wrote keeps the import's papers and fees: run again after an import (each
        # `make run`), the demo's three papers were added to the birth registration's two, all mandatory.
        if created or not procedure.components_source_digest:
            _demo_parts_ensure(procedure=procedure, row=row, report=report)
    catalogue_changed()
    return report


def demo_counters_ensure(*, agencies, report: SeedReport) -> None:
    """A one-stop counter taking appointments at each demo agency without one: Monday to Friday, 7:30–17:00 with
    the lunch break 11:30–13:30, half-hour slots of two people (the operator edits them in the admin)."""
    have = set(Counter.objects.values_list("agency_id", flat=True))
    for agency in agencies:
        if agency.pk in have:
            continue
        counter = Counter.objects.create(agency=agency, name="Quầy tiếp nhận và trả kết quả số 1",
                                         location="Bộ phận Một cửa, tầng 1", slot_minutes=30, capacity=2,
                                         lunch_start=time(11, 30), lunch_end=time(13, 30))
        CounterHours.objects.bulk_create([CounterHours(counter=counter, weekday=day, opens=time(7, 30),
                                                       closes=time(17, 0)) for day in range(5)])
        report.add(str(Counter._meta.verbose_name))


def _agency_kind(name: str, level: str) -> str:
    if name.startswith("Công an"):
        return AgencyKind.POLICE
    if name.startswith("Ủy ban nhân dân"):
        return AgencyKind.PEOPLE_COMMITTEE
    return AgencyKind.DEPARTMENT if level == AgencyLevel.PROVINCIAL else AgencyKind.OTHER


def demo_agencies_ensure(*, report: SeedReport) -> dict[str, Agency]:
    rows = [(code, name, level, demo_data.COMMUNE_UNITS.get(code), *rest)
            for code, name, level, *rest in demo_data.AGENCIES] + demo_data.POLICE
    wanted = [
        Agency(code=code, name=name, level=level, kind=_agency_kind(name, level), commune_code=unit,
               address=f"{address}, {demo_data.PROVINCE}", phone=phone, bank_account_name=name,
               bank_account_number=account, bank_name=bank)
        for code, name, level, unit, address, phone, account, bank in rows
    ]
    agencies = _missing_create(model=Agency, wanted=wanted, report=report)
    # A database seeded before agencies knew their commune: link the demo communes' agencies to their unit.
    for code, unit in demo_data.COMMUNE_UNITS.items():
        Agency.objects.filter(code=code, commune_code__isnull=True).update(commune_code=unit,
                                                                          kind=AgencyKind.PEOPLE_COMMITTEE)
    return agencies


def demo_receiving_map_ensure(*, agencies: dict[str, Agency], report: SeedReport) -> None:
    """Create the rows of the demo receiving map that are missing (the operator's edits are kept)."""
    fields = fields_by_name(names={name for _, name, _, _ in demo_data.RECEIVING_MAP if name})
    have = set(ReceivingRule.objects.values_list("level", "field_id"))
    for level, field_name, kinds, codes in demo_data.RECEIVING_MAP:
        field = fields[field_name] if field_name else None
        if (level, field.pk if field else None) in have:
            continue
        rule = ReceivingRule(level=level, field=field)
        rule.set_commune_kinds(kinds)
        rule.save()
        rule.agencies.set([agencies[code] for code in codes])
        report.add(str(ReceivingRule._meta.verbose_name))


def demo_fields_ensure(*, report: SeedReport) -> dict[str, Field]:
    wanted = [Field(code=code, name=name) for code, name in demo_data.FIELDS]
    return _missing_create(model=Field, wanted=wanted, report=report)


def _missing_create(*, model, wanted: list, report: SeedReport) -> dict:
    """Insert the rows of `wanted` whose code is not in the table yet; return all of them by code."""
    existing = model.objects.in_bulk([obj.code for obj in wanted], field_name="code")
    missing = [obj for obj in wanted if obj.code not in existing]
    model.objects.bulk_create(missing)
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


CLERK_ROLES = ("receive", "process", "approve")


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[str, str, str]]:
    """Create the missing demo accounts with random passwords; return (role, e-mail, password) of each.

    A password is generated only when its account is created and is kept in VAR_DIR/demo-accounts.txt,
    so that later runs can show it again without touching the account. Staff get the roles of
    accounts.roles (groups and per-agency roles) on every run, so a database seeded by an older
    version is brought to the scheme too.
    """
    staff_roles_sync()
    passwords = demo_passwords_read()
    staff = [(email, name, codes, CLERK_ROLES) for email, name, codes in demo_data.CLERKS]
    staff += [demo_data.ACCOUNTANT, demo_data.OPERATOR]
    agencies = {a.code: a for a in Agency.objects.filter(code__in={c for _, _, codes, _ in staff for c in codes})}

    def ensure(email: str, **fields) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            passwords[email] = secrets.token_urlsafe(12)
            user = User.objects.create_user(email, passwords[email], **fields)
        return user

    ensure(demo_data.ADMIN_EMAIL, full_name="Quản trị hệ thống", is_active=True, is_staff=True, is_superuser=True)
    shown = [("Quản trị hệ thống (superuser)", demo_data.ADMIN_EMAIL)]
    for email, full_name, codes, keys in staff:
        member = ensure(email, full_name=full_name, is_active=True, is_staff=True)
        roles = [ROLES_BY_KEY[key] for key in keys]
        member.groups.set(Group.objects.filter(name__in=[role.group for role in roles]))
        for code in codes:
            for role in roles:
                if role.agency_role:
                    member.agency_roles.get_or_create(agency=agencies[code], role=role.agency_role)
        where = f" — {', '.join(agencies[c].name for c in codes)}" if codes else ""
        shown.append((" + ".join(role.label for role in roles) + where, email))
    citizen = dict(demo_data.CITIZEN)
    ensure(citizen.pop("email"), is_active=True, account_type=AccountType.INDIVIDUAL, **citizen)
    _passwords_write(passwords)
    shown.append(("Công dân", demo_data.CITIZEN["email"]))
    return [(label, email, passwords.get(email, "")) for label, email in shown]
