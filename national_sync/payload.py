"""The dossier as the national portal's protocols name it (MaHoSo, MaTTHC, ChuHoSo, …): one dict per outbox record.

Dates are yyyyMMddHHmmss in Asia/Ho_Chi_Minh whatever the server's zone; a date without time (NgayHenTra) is the
end of that working day (17:00), as one-stop software sends it. The adapters (national_sync.adapters) shape their
requests from this dict and nothing else, so a record resent later sends what was true when it was written.
"""

import zoneinfo
from datetime import date, datetime, time

from django.utils import timezone

from dossiers.constants import DossierAction, FileKind

from .constants import NATIONAL_STATUS, NATIONAL_STATUS_LABELS, channel_of

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# What a progress record reports when it changes (the rest travels with every record but does not make one).
TRACKED = ("TrangThaiHoSo", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "DanhSachGiayToKetQua", "DanhSachHoSoBoSung")
# LoaiDoiTuong: a 12-digit personal identity number is a citizen (1), otherwise a tax code: an organisation (2).
CITIZEN, ORGANISATION = 1, 2


def national_time(value: datetime | date | None) -> str:
    """yyyyMMddHHmmss in Vietnam's time; "" for no date."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(17, 0), tzinfo=VIETNAM)
    elif timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def dossier_payload(dossier) -> dict:
    """The HoSo of DongBoHoSoMC / the v2 dossier, with the last step's progress (CapNhatTienDoHoSoMC)."""
    procedure = dossier.procedure
    files = list(dossier.files.select_related("component").order_by("id"))
    events = list(dossier.events.select_related("actor").order_by("created_at", "id"))
    identity = dossier.applicant_identity or ""
    payload = {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.national_code or procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field.code if procedure.field_id else "",
        "TenLinhVuc": procedure.field.name if procedure.field_id else "",
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": CITIZEN if len(identity) == 12 and identity.isdigit() else ORGANISATION,
        "MaDoiTuong": identity,
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "DiaChi": dossier.applicant_full_address,
        "TrichYeuHoSo": procedure.name,
        "NgayNopHoSo": national_time(dossier.submitted_at),
        "NgayTiepNhan": national_time(dossier.received_at or dossier.submitted_at),
        "NgayHenTra": national_time(dossier.due_date),
        "NgayKetThucXuLy": national_time(dossier.finished_at),
        "NgayTra": national_time(dossier.returned_at),
        "TrangThaiHoSo": NATIONAL_STATUS[dossier.status],
        "HinhThuc": channel_of(is_online=dossier.is_online, submit_method=dossier.submit_method),
        "MaDonVi": dossier.agency.code,
        "DonViXuLy": dossier.agency.name,
        "DanhSachLePhi": [
            {"MaPhiLePhi": str(fee.pk), "TenPhiLePhi": fee.name, "Gia": fee.amount, "LoaiPhiLePhi": fee.kind}
            for fee in procedure.fees.all().order_by("id")
        ],
        "TaiLieuNop": [_file(f) for f in files if f.kind == FileKind.APPLICATION],
        "DanhSachGiayToKetQua": [
            {"GiayToId": str(f.uuid), "TenGiayTo": f.original_name, "DuongDanTepTinKetQua": f.get_absolute_url(),
             "SHA256": f.sha256}
            for f in files if f.kind == FileKind.RESULT
        ],
        "DanhSachHoSoBoSung": _supplements(events, files),
    }
    payload.update(_progress(dossier, events))
    return payload


def _file(f) -> dict:
    return {
        "TepDinhKemId": str(f.uuid), "TenTepDinhKem": f.original_name, "MaThanhPhanHoSo": str(f.component_id or ""),
        "TenThanhPhanHoSo": f.component.name if f.component_id else "", "DuongDanTaiTepTin": f.get_absolute_url(),
        "DungLuong": f.size, "SHA256": f.sha256, "IsDeleted": False,
    }


def _supplements(events, files) -> list[dict]:
    """Each supplement request, with what the citizen answered (the answer that followed it, if any)."""
    found = []
    for i, event in enumerate(events):
        if event.action != DossierAction.REQUEST_SUPPLEMENT:
            continue
        answer = next((e for e in events[i + 1:] if e.action == DossierAction.ANSWER_SUPPLEMENT), None)
        found.append({
            "HoSoBoSungId": str(event.pk),
            "NguoiYeuCauBoSung": event.actor.full_name if event.actor_id else "",
            "NoiDungBoSung": event.note,
            "NgayBoSung": national_time(event.created_at),
            "NgayTiepNhanBoSung": national_time(answer.created_at) if answer else "",
            "TrangThaiBoSung": 1 if answer else 0,
            "DanhSachGiayToBoSung": [_file(f) for f in files if answer and f.event_id == answer.pk],
        })
    return found


def _progress(dossier, events) -> dict:
    """The fields of CapNhatTienDoHoSoMC for the dossier's last step."""
    last = events[-1] if events else None
    return {
        "NguoiXuLy": (last.actor.full_name or "") if last and last.actor_id else "",
        "ChucDanh": "",
        "PhongBanXuLy": dossier.agency.name,
        "ThoiDiemXuLy": national_time(last.created_at if last else dossier.updated_at),
        "NoiDungXuLy": ((f"{last.action_label}: {last.note}" if last.note else str(last.action_label)) if last
                        else NATIONAL_STATUS_LABELS[NATIONAL_STATUS[dossier.status]]),
        "NgayBatDau": national_time(dossier.received_at or dossier.submitted_at),
        "NgayKetThucTheoQuyDinh": national_time(dossier.due_date),
    }
