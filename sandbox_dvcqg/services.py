"""The simulated national portal's rules: who may call, what a message must hold, how it is stored once per request
id, and how the sandbox misbehaves when told to (Control). Written from the protocols' published fields, not from
the portal's code: the sandbox imports nothing of the portal."""

import re
import time

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Call, Control, Message, Mode

DATE = re.compile(r"^\d{14}$")  # yyyyMMddHHmmss
DOSSIER_REQUIRED = ("MaHoSo", "MaTTHC", "ChuHoSo", "LoaiDoiTuong", "NgayTiepNhan", "TrangThaiHoSo", "HinhThuc",
                    "TaiLieuNop", "DanhSachLePhi")
PROGRESS_REQUIRED = ("MaHoSo", "ThoiDiemXuLy", "NoiDungXuLy")
DATES = ("NgayTiepNhan", "NgayHenTra", "NgayNopHoSo", "NgayKetThucXuLy", "NgayTra", "ThoiDiemXuLy", "NgayBatDau",
         "NgayKetThucTheoQuyDinh")


class Refused(Exception):
    """The message breaks the protocol (a field missing or malformed)."""


def message_check(item: dict, *, dossier: bool) -> None:
    """Refuse a message the national portal would refuse: its required fields, dates and codes."""
    if not isinstance(item, dict):
        raise Refused("Dữ liệu không phải đối tượng JSON")
    missing = [name for name in (DOSSIER_REQUIRED if dossier else PROGRESS_REQUIRED) if item.get(name) in (None, "")
               and not isinstance(item.get(name), list)]
    if missing:
        raise Refused(f"Thiếu trường: {', '.join(missing)}")
    for name in DATES:
        if item.get(name) and not DATE.match(str(item[name])):
            raise Refused(f"{name} phải theo định dạng yyyyMMddHHmmss")
    status = item.get("TrangThaiHoSo", item.get("TrangThai"))
    if status is not None and status not in range(1, 11):
        raise Refused("TrangThaiHoSo phải từ 1 đến 10")
    if dossier and item["HinhThuc"] not in (1, 2, 3):
        raise Refused("HinhThuc phải là 1, 2 hoặc 3")


def control(protocol: str) -> Control:
    return Control.objects.get_or_create(protocol=protocol)[0]


def _decide(protocol: str) -> tuple[str, float]:
    """This call's mode: the control's on one call in `every`, for `times` calls (0: without end)."""
    with transaction.atomic():
        row = Control.objects.select_for_update().get(pk=control(protocol).pk)
        row.seen += 1
        hit = row.mode != Mode.NORMAL and row.seen % max(row.every, 1) == 0 and (not row.times or row.affected < row.times)
        row.affected += int(hit)
        Control.objects.filter(pk=row.pk).update(seen=F("seen") + 1, affected=F("affected") + int(hit))
    return (row.mode if hit else Mode.NORMAL), row.delay


def receive(*, protocol: str, request_id: str, service: str, item: dict, sequence: int = 0) -> str:
    """Take one message: "ok", "duplicate" (held already: success, not stored again), or "failed" (an error)."""
    mode, delay = _decide(protocol)
    outcome = _receive(mode, protocol=protocol, request_id=request_id, service=service, item=item, sequence=sequence)
    Call.objects.create(protocol=protocol, request_id=request_id, service=service, outcome=outcome)
    if outcome == "timeout":
        time.sleep(delay)
    return {"stored": "ok", "lost": "ok", "timeout": "ok", "duplicate": "duplicate"}.get(outcome, "failed")


def _receive(mode: str, *, protocol, request_id, service, item, sequence) -> str:
    if mode == Mode.FAIL:
        return "failed"
    if Message.objects.filter(protocol=protocol, request_id=request_id).exists():
        return "duplicate"
    if mode == Mode.LOSE:
        return "lost"
    try:
        with transaction.atomic():
            Message.objects.create(
                protocol=protocol, request_id=request_id, service=service, code=item["MaHoSo"],
                status=item.get("TrangThaiHoSo", item.get("TrangThai")), at=item.get("ThoiDiemXuLy") or "",
                sequence=sequence or 0, body=item,
            )
    except IntegrityError:  # the same request at the same moment: held once
        return "duplicate"
    return {Mode.TIMEOUT: "timeout", Mode.TWICE: "twice"}.get(mode, "stored")


def held(*, protocol: str, codes: list[str]) -> list[dict]:
    """What the national side holds of these dossiers: the status of the latest step, and every request id."""
    found = []
    for code in codes:
        messages = list(Message.objects.filter(protocol=protocol, code=code).order_by("at", "sequence", "id"))
        if not messages:
            continue
        statuses = [m.status for m in messages if m.status is not None]
        found.append({"MaHoSo": code, "TrangThaiHoSo": statuses[-1] if statuses else None,
                      "DanhSachMaYeuCau": [m.request_id for m in messages]})
    return found
