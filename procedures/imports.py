"""Import the national procedures database: its list export (Excel) and its detail records (JSON lines).

A procedure is keyed on its national code (1.004232), so importing the same file again changes nothing
and a newer file updates in place. Rows are written in bulk: the 2 642 records of the real catalogue
take seconds, not minutes.
"""

import gzip
import io
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from common.archives import TooLarge, read_bounded, zip_declared_size

from .agency_labels import agency_search_names
from .constants import AgencyKind, AgencyLevel, Channel, OnlineLevel
from .models import Agency, Field, Procedure, ProcedureChannel, RequiredComponent
from .national import NationalRecord, RecordRefused, header_key, record_from_detail
from .receiving import receiving_map_apply
from .services import catalogue_analyzed, catalogue_changed
from .text import fold


class ImportOutcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"

    LABELS = {CREATED: "Tạo mới", UPDATED: "Cập nhật", UNCHANGED: "Không đổi", REFUSED: "Từ chối"}


@dataclass
class RowReport:
    row: int
    code: str
    outcome: str
    message: str = ""

    @property
    def outcome_label(self) -> str:
        return ImportOutcome.LABELS[self.outcome]


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)

    def add(self, row: int, code: str, outcome: str, message: str = "") -> None:
        self.rows.append(RowReport(row=row, code=code, outcome=outcome, message=message))

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def summary(self) -> str:
        return (
            f"{self.count(ImportOutcome.CREATED)} tạo mới, {self.count(ImportOutcome.UPDATED)} cập nhật, "
            f"{self.count(ImportOutcome.UNCHANGED)} không đổi, {self.count(ImportOutcome.REFUSED)} bị từ chối"
        )


# --- reading files -----------------------------------------------------------------------------------

# The whole national database is 21 MB as JSON lines: an upload may unpack to ten times that, no more, so a
# small archive that inflates to gigabytes is refused before it is read (the operator's upload is input too).
MAX_INFLATED_BYTES = 200 * 1024 * 1024
TOO_BIG = "Tệp giải nén vượt quá 200 MB: không phải một bản xuất danh mục thủ tục."


def _gunzip_bounded(content: bytes) -> bytes:
    """Return the gzip's content, read in chunks and refused past MAX_INFLATED_BYTES."""
    with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
        try:
            return read_bounded(stream, MAX_INFLATED_BYTES, chunk=1024 * 1024)
        except TooLarge:
            raise ValueError(TOO_BIG) from None


def _xlsx_within_bounds(content: bytes) -> None:
    """Refuse a workbook whose members declare more than MAX_INFLATED_BYTES (zipfile reads no further than declared)."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(content))  # a broken file: BadZipFile, as openpyxl would
    if len(archive.infolist()) > 10_000 or zip_declared_size(archive) > MAX_INFLATED_BYTES:
        raise ValueError(TOO_BIG)


def records_from_file(name: str, content: bytes) -> Iterator[tuple[int, dict]]:
    """Yield (row number, record) of a JSON-lines file (optionally gzip), an Excel list export or a CSV.

    Row numbers are the ones a person sees: the line of a JSON file, the spreadsheet row of Excel.
    """
    lowered = name.lower()
    if lowered.endswith(".gz"):
        content = _gunzip_bounded(content)  # a broken file: OSError / EOFError
        lowered = lowered[:-3]
    if lowered.endswith((".jsonl", ".json", ".ndjson")):
        yield from _json_lines(content)
    elif lowered.endswith(".xlsx"):
        yield from _excel_rows(content)
    elif lowered.endswith(".csv"):
        yield from _csv_rows(content)
    else:
        raise ValueError("Chỉ nhận tệp .xlsx (danh sách xuất từ CSDL quốc gia), .jsonl, .jsonl.gz hoặc .csv.")


def _json_lines(content: bytes) -> Iterator[tuple[int, dict]]:
    text = content.decode("utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith("["):  # a plain JSON array of records
        for number, record in enumerate(json.loads(stripped), start=1):
            yield number, record if isinstance(record, dict) else {}
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = {"__error__": "Dòng không phải JSON hợp lệ."}
        yield number, record if isinstance(record, dict) else {"__error__": "Dòng không phải một bản ghi JSON."}


def _header_map(cells) -> dict[int, str]:
    return {index: key for index, cell in enumerate(cells) if (key := header_key(cell))}


def _excel_rows(content: bytes) -> Iterator[tuple[int, dict]]:
    """The national portal's export: a title block in row 1, the header in row 2, data from row 3.

    The header row is found rather than assumed, so an export saved without its title still imports.
    """
    from openpyxl import load_workbook

    _xlsx_within_bounds(content)
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    columns: dict[int, str] = {}
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not columns:
            found = _header_map(cells)
            if "ma_thu_tuc" in found.values() and "ten_thu_tuc" in found.values():
                columns = found
            elif number >= 10:
                raise ValueError("Không tìm thấy dòng tiêu đề có cột “Mã số” và “Tên” trong 10 dòng đầu.")
            continue
        if not any(cell not in (None, "") for cell in cells):
            continue
        yield number, {key: "" if cells[i] is None else str(cells[i]) for i, key in columns.items() if i < len(cells)}


def _csv_rows(content: bytes) -> Iterator[tuple[int, dict]]:
    import csv

    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    columns: dict[int, str] = {}
    for number, cells in enumerate(reader, start=1):
        if not columns:
            columns = _header_map(cells)
            continue
        if any(cells):
            yield number, {key: cells[i] for i, key in columns.items() if i < len(cells)}


# --- mapping free text to the province's rows ---------------------------------------------------------

def _field_key(name: str) -> str:
    folded = fold(name).strip()
    return folded.removeprefix("linh vuc ").strip()


class _Fields:
    """Fields by (folded) name; a new name gets a code made from it (hai-quan)."""

    def __init__(self):
        self.by_key = {_field_key(f.name): f for f in Field.objects.all()}
        self.codes = set(Field.objects.values_list("code", flat=True))
        self.created: list[Field] = []

    def get(self, name: str) -> Field:
        key = _field_key(name)
        if key not in self.by_key:
            base = slugify(key)[:44] or "linh-vuc"
            code, n = base, 1
            while code in self.codes:
                n += 1
                code = f"{base}-{n}"
            self.codes.add(code)
            self.by_key[key] = Field(code=code, name=name)
            self.created.append(self.by_key[key])
        return self.by_key[key]

    def save_new(self) -> None:
        Field.objects.bulk_create(self.created)


def fields_by_name(*, names) -> dict[str, Field]:
    """Return the fields with these names, matched as an import matches them ("Lĩnh vực Hộ tịch" is "Hộ
    tịch"), creating the missing ones: the receiving map names fields before the catalogue is imported."""
    fields = _Fields()
    found = {name: fields.get(name) for name in names}
    fields.save_new()
    return found


class _Agencies:
    """Map "Cơ quan thực hiện" text to the province's agencies where the name says which.

    "Ủy ban nhân dân cấp xã" means every commune of the province; "Sở Tư pháp" the department whose
    name starts so ("Sở Tư pháp tỉnh Kon Tum"). Anything else stays as text only, for the operator.
    """

    def __init__(self):
        self.agencies = list(Agency.objects.all())
        self.by_name = {fold(a.name).strip(): a for a in self.agencies}
        commune_level = [a for a in self.agencies if a.level == AgencyLevel.COMMUNE]
        self.communes = [a for a in commune_level if a.kind != AgencyKind.POLICE]
        self.commune_police = [a for a in commune_level if a.kind == AgencyKind.POLICE]

    def match(self, text: str) -> list[Agency]:
        found: dict[int, Agency] = {}
        for part in _agency_parts(text):
            key = fold(part).strip(" .")
            if not key:
                continue
            if key in self.by_name:
                found[self.by_name[key].pk] = self.by_name[key]
            elif "cap xa" in key and ("uy ban" in key or "ubnd" in key):
                found.update({a.pk: a for a in self.communes})
            elif key.startswith("cong an cap xa"):
                found.update({a.pk: a for a in self.commune_police})
            elif key.startswith("so "):
                for name, agency in self.by_name.items():
                    if name.startswith(key + " ") and agency.level == AgencyLevel.PROVINCIAL:
                        found[agency.pk] = agency
        return list(found.values())


def _agency_parts(text: str) -> list[str]:
    import re

    return [p for p in re.split(r"\s*(?:\n|\||;|,(?=\s*[A-ZĐỦUCSNBTP]))\s*", text or "") if p]


def processing_days_of(channels) -> int | None:
    """Return the working days a dossier takes, from the online channel if there is one, else the first.

    The portal counts in working days (dossiers.calendar); calendar days and hours are rounded up,
    a month counts 22 working days. A time with no unit is read as working days, the national
    portal's default.
    """
    ordered = sorted(channels, key=lambda c: c.channel != Channel.ONLINE)
    for row in ordered:
        if row.time_value is None:
            continue
        unit = fold(row.time_unit)
        value = float(row.time_value)
        if unit.startswith("gio") or unit.startswith("phut"):
            days = 1
        elif unit.startswith("thang"):
            days = math.ceil(value * 22)
        elif unit.startswith("tuan"):
            days = math.ceil(value * 5)
        elif unit.startswith("nam"):
            days = math.ceil(value * 250)
        else:
            days = math.ceil(value)
        return max(1, min(days, 32767))
    return None


# --- the import ---------------------------------------------------------------------------------------

_SCALARS = {
    "name": "name", "decision_number": "decision_number", "procedure_type": "procedure_type",
    "target_groups": "target_groups", "implementing": "implementing_text", "competent": "competent_text",
    "receiving_address": "receiving_address",
    "steps": "steps", "conditions": "conditions", "legal_basis": "legal_basis",
    "legal_documents": "legal_documents", "result": "result", "result_documents": "result_documents",
    "source_url": "source_url",
}
_REVIEW_FIELDS = ("components_need_review", "components_review_reasons", "components_source_digest",
                  "components_reviewed_at")
_CHANNEL_FIELDS = ("channel", "time_value", "time_unit", "fee_amount", "fee_text", "description")


def _apply(procedure: Procedure, record: NationalRecord, field_obj: Field) -> set[str]:
    """Copy what the record states onto the procedure; return the names of the columns that changed."""
    changed = set()
    values = {attr: getattr(record, key) for key, attr in _SCALARS.items() if getattr(record, key) is not None}
    values["field_id"] = field_obj.pk
    for attr, value in values.items():
        if attr in {"decision_number", "procedure_type"}:
            value = value[:255]
        if attr == "source_url":
            value = value[:300]
        if getattr(procedure, attr) != value:
            setattr(procedure, attr, value)
            changed.add(attr)
    if record.levels is not None:
        before = procedure.levels
        procedure.set_levels(record.levels)
        if procedure.levels != before:
            changed.add("levels")
    if record.channels:
        days = processing_days_of(record.channels)
        if days and procedure.processing_days != days:
            procedure.processing_days = days
            changed.add("processing_days")
    return changed


def procedures_import(*, records: Iterable[tuple[int, dict]], province: str | None = None) -> ImportReport:
    """Create or update procedures from national records, keyed on the national code; report every row."""
    province = province or settings.PROVINCE_CODE
    report = ImportReport()
    parsed: list[tuple[int, NationalRecord]] = []
    seen: dict[str, int] = {}
    for number, raw in records:
        code = str(raw.get("ma_thu_tuc") or "").strip()
        if "__error__" in raw:
            report.add(number, code, ImportOutcome.REFUSED, raw["__error__"])
            continue
        try:
            record = record_from_detail(raw, province=province)
        except RecordRefused as exc:
            report.add(number, code, ImportOutcome.REFUSED, str(exc))
            continue
        if record.national_code in seen:
            report.add(number, code, ImportOutcome.REFUSED,
                       f"Mã {record.national_code} đã có ở dòng {seen[record.national_code]} của tệp này.")
            continue
        seen[record.national_code] = number
        parsed.append((number, record))
    with transaction.atomic():
        _write(parsed=parsed, report=report)
    report.rows.sort(key=lambda r: r.row)
    return report


def _write(*, parsed: list[tuple[int, NationalRecord]], report: ImportReport) -> None:
    fields = _Fields()
    agencies = _Agencies()
    for _, record in parsed:
        fields.get(record.field_name)
    fields.save_new()

    existing = _existing_locked([record.national_code for _, record in parsed])
    new, changed_rows, outcomes = [], [], []
    update_columns: set[str] = set()
    for number, record in parsed:
        field_obj = fields.get(record.field_name)
        procedure = existing.get(record.national_code)
        matched = agencies.match(record.implementing) if record.implementing is not None else None
        if procedure is None:
            procedure = Procedure(code=record.local_code, national_code=record.national_code,
                                  online_level=OnlineLevel.PARTIAL, field=field_obj)
            _apply(procedure, record, field_obj)
            procedure.refresh_search_text(agency_names=agency_search_names(matched or []))
            new.append(procedure)
            outcomes.append((number, record, procedure, ImportOutcome.CREATED, matched))
            continue
        changed = _apply(procedure, record, field_obj)
        procedure.field = field_obj
        agencies_changed = matched is not None and {a.pk for a in matched} - {a.pk for a in procedure.agencies.all()}
        parts_changed = _parts_differ(procedure, record)
        if changed or agencies_changed:
            both = {a.pk: a for a in [*procedure.agencies.all(), *(matched or [])]}
            procedure.refresh_search_text(agency_names=agency_search_names(list(both.values())))
            changed |= {"name_folded", "search_text"}
            update_columns |= changed
            changed_rows.append(procedure)
        outcome = ImportOutcome.UPDATED if changed or agencies_changed or parts_changed else ImportOutcome.UNCHANGED
        outcomes.append((number, record, procedure, outcome, matched))

    Procedure.objects.bulk_create(new, batch_size=500)
    now = timezone.now()
    for procedure in changed_rows:
        procedure.updated_at = now  # bulk_update skips auto_now
    if changed_rows:
        Procedure.objects.bulk_update(changed_rows, sorted(update_columns | {"updated_at"}), batch_size=500)
    _write_parts(outcomes)
    # The province's receiving map, besides the names matched above (procedures.receiving).
    mapped = set(receiving_map_apply(procedure_ids=[procedure.pk for _, _, procedure, _, _ in outcomes]).changed_ids)
    _report_outcomes(report, outcomes, mapped)
    written = {p.pk for _, _, p, outcome, _ in outcomes if outcome != ImportOutcome.UNCHANGED} | mapped
    if written:  # a procedure, or only its components, channels or agencies
        catalogue_changed()
        catalogue_analyzed(rows=len(written))


def _existing_locked(codes: list[str]) -> dict[str, Procedure]:
    """The procedures of these national codes already in the catalogue, locked for the import's transaction."""
    existing: dict[str, Procedure] = {}
    for procedure in (Procedure.objects.select_for_update().filter(national_code__in=codes)
                      .select_related("field").prefetch_related("agencies", "channels", "components")):
        existing.setdefault(procedure.national_code, procedure)
    return existing


def _report_outcomes(report: ImportReport, outcomes: list[tuple], mapped: set[int]) -> None:
    """A report row a procedure: its record's problems, and a note when the province has no receiving agency for it
    (a procedure the receiving map changed is "updated" however its record compared)."""
    received = set(Procedure.agencies.through.objects.filter(procedure_id__in=[p.pk for _, _, p, _, _ in outcomes])
                   .values_list("procedure_id", flat=True).distinct())
    for number, record, procedure, outcome, _matched in outcomes:
        notes = list(record.problems)
        if procedure.pk not in received:
            said = (record.implementing or procedure.implementing_text)[:120]
            notes.append("chưa có cơ quan tiếp nhận của tỉnh" + (f": {said}" if said else ""))
        if outcome == ImportOutcome.UNCHANGED and procedure.pk in mapped:
            outcome = ImportOutcome.UPDATED
        report.add(number, record.national_code, outcome, "; ".join(notes))


def _channel_tuple(row) -> tuple:
    value = row.time_value.normalize() if row.time_value is not None else None
    return (row.channel, value, row.time_unit, row.fee_amount, row.fee_text, row.description)


def _component_key(row) -> tuple:
    """Components are matched on (case, channel, role, name) across imports: files already uploaded point at them.

    The role is part of it: the same paper may be both uploaded (a copy) and shown (the original).
    """
    return (row.case, row.channel, row.role, row.name)


# What the national text sets on a component; the operator's own settings (accepted types, size, blank form)
# are never touched by an import.
_COMPONENT_FIELDS = ("position", "quantity", "form_name", "role", "condition", "asks_number", "is_required",
                     "description")


def _components_differ(procedure: Procedure, record: NationalRecord) -> bool:
    """The national text changed since the components were last read from it (or they never were)."""
    return record.components is not None and procedure.components_source_digest != record.component_digest


def _parts_differ(procedure: Procedure, record: NationalRecord) -> bool:
    if record.channels is not None:
        if [_channel_tuple(c) for c in procedure.channels.all()] != [_channel_tuple(c) for c in record.channels]:
            return True
    return _components_differ(procedure, record)


def _review(procedure: Procedure, record: NationalRecord, *, created: bool) -> None:
    """Set the review flag from the parser's doubts when the components are (re)written from a new text.

    A procedure the operator already reviewed is flagged again whatever the parser thinks: its components were
    just rewritten from a changed national text, over the operator's corrections.
    """
    reasons = list(record.component_doubts)
    if not created and procedure.components_reviewed_at is not None:
        reviewed = timezone.localtime(procedure.components_reviewed_at).strftime("%d/%m/%Y")
        reasons.insert(0, f"thành phần hồ sơ trên CSDL quốc gia đã đổi sau lần rà soát ngày {reviewed}")
    procedure.components_need_review = bool(reasons)
    procedure.components_review_reasons = "\n".join(reasons)
    procedure.components_source_digest = record.component_digest
    procedure.components_reviewed_at = None


def _write_parts(outcomes) -> None:
    """Write the agencies, channels and components of created and changed procedures in bulk."""
    Through = Procedure.agencies.through
    links, channels, components = [], [], []
    channel_owners, component_updates, component_deletes, review_owners = [], [], [], []
    for _, record, procedure, outcome, matched in outcomes:
        if outcome == ImportOutcome.UNCHANGED:
            continue
        created = outcome == ImportOutcome.CREATED
        if matched:
            have = set() if created else {a.pk for a in procedure.agencies.all()}
            links += [Through(procedure_id=procedure.pk, agency_id=a.pk) for a in matched if a.pk not in have]
        if record.channels is not None:
            channel_owners.append(procedure.pk)
            channels += [
                ProcedureChannel(procedure_id=procedure.pk, position=position,
                                 **{name: getattr(row, name) for name in _CHANNEL_FIELDS})
                for position, row in enumerate(record.channels, start=1)
            ]
        if record.components is not None and (created or _components_differ(procedure, record)):
            # Rewritten only when the national text changed: a re-import of the same text keeps what the
            # operator corrected. Matched rows are updated in place (files of dossiers point at them).
            review_owners.append(procedure)
            _review(procedure, record, created=created)
            have = {} if created else {_component_key(c): c for c in procedure.components.all()}
            wanted = set()
            for position, row in enumerate(record.components, start=1):
                key = _component_key(row)
                if key in wanted:
                    continue
                wanted.add(key)
                values = {name: getattr(row, name) for name in _COMPONENT_FIELDS if name != "position"}
                current = have.get(key)
                if current is None:
                    components.append(RequiredComponent(procedure_id=procedure.pk, position=position, case=row.case,
                                                        channel=row.channel, name=row.name, **values))
                elif any(getattr(current, name) != value for name, value in {**values, "position": position}.items()):
                    for name, value in {**values, "position": position}.items():
                        setattr(current, name, value)
                    component_updates.append(current)
            component_deletes += [c.pk for key, c in have.items() if key not in wanted]
    Through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    ProcedureChannel.objects.filter(procedure_id__in=channel_owners).delete()
    ProcedureChannel.objects.bulk_create(channels, batch_size=1000)
    RequiredComponent.objects.filter(pk__in=component_deletes).delete()
    RequiredComponent.objects.bulk_update(component_updates, _COMPONENT_FIELDS, batch_size=500)
    RequiredComponent.objects.bulk_create(components, batch_size=1000)
    Procedure.objects.bulk_update(review_owners, _REVIEW_FIELDS, batch_size=500)


def procedures_import_file(*, path: Path | str, province: str | None = None) -> ImportReport:
    """Import a file from disk (the management command's entry)."""
    path = Path(path)
    return procedures_import(records=records_from_file(path.name, path.read_bytes()), province=province)
