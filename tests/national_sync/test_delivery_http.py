"""Delivery to the national portal's sandbox over real HTTP (live server), by the Celery tasks' code (eager):
both protocols, the payload as the published field list names it, and the sandbox failing, timing out, answering
twice and losing a record."""

import re
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.constants import DossierAction
from national_sync import tasks
from national_sync.constants import RecordState
from national_sync.models import OutboxRecord
from sandbox_dvcqg.models import Call, Message, UploadedFile
from tests.national_sync.conftest import RECEIVE, START

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.integration]
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

# The fields of DongBoHoSoMC's HoSo as the national portal publishes them (written here from that list, not from
# the portal's builder), with the form each must have.
DATE = re.compile(r"^\d{14}$")
DOSSIER_FIELDS = {
    "MaHoSo": str, "MaTTHC": str, "ChuHoSo": str, "LoaiDoiTuong": int, "NgayTiepNhan": DATE, "NgayHenTra": str,
    "TrangThaiHoSo": int, "HinhThuc": int, "DanhSachLePhi": list, "TaiLieuNop": list, "DanhSachGiayToKetQua": list,
    "DanhSachHoSoBoSung": list,
}
PROGRESS_FIELDS = ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai")


def _vn(moment) -> str:
    return moment.astimezone(VN).strftime("%Y%m%d%H%M%S")


def _sweep_until_delivered(*dossiers, rounds: int = 10) -> None:
    for _ in range(rounds):
        if not OutboxRecord.objects.filter(dossier__in=dossiers).exclude(state=RecordState.DELIVERED).exists():
            return
        tasks.outbox_sweep()
    raise AssertionError(list(OutboxRecord.objects.filter(dossier__in=dossiers).values("sequence", "state",
                                                                                        "last_error")))


def _held(protocol: str, dossier) -> list[Message]:
    return list(Message.objects.filter(protocol=protocol, code=dossier.code).order_by("id"))


def test_motcua_delivers_the_dossier_then_each_step_with_the_published_fields(national, walk):
    dossier = walk(RECEIVE, START)
    held = _held("motcua", dossier)
    assert [(m.service, m.status) for m in held] == [
        ("DongBoHoSoMC", 1), ("CapNhatTienDoHoSoMC", 2), ("CapNhatTienDoHoSoMC", 4)]
    first = held[0].body
    for name, kind in DOSSIER_FIELDS.items():
        assert name in first, name
        assert kind.match(first[name]) if isinstance(kind, re.Pattern) else isinstance(first[name], kind), name
    assert first["MaHoSo"] == dossier.code
    assert first["MaTTHC"] == dossier.procedure.code[:8]
    assert first["TrangThaiHoSo"] == 1 and first["HinhThuc"] == 2 and first["LoaiDoiTuong"] == 1
    assert first["NgayTiepNhan"] == _vn(dossier.submitted_at)
    assert first["DanhSachLePhi"][0]["Gia"] == 50_000
    assert {f["TenTepDinhKem"] for f in first["TaiLieuNop"]} == {f.original_name for f in dossier.files.all()}
    step = held[2].body
    assert all(name in step for name in PROGRESS_FIELDS)
    assert step["TrangThai"] == 4 and step["NgayHenTra"] == _vn(datetime.combine(dossier.due_date, time(17), VN))
    assert set(OutboxRecord.objects.filter(dossier=dossier).values_list("state", flat=True)) == {"delivered"}
    assert national.lookup("motcua", dossier.code)[dossier.code]["TrangThaiHoSo"] == 4


def test_v2_uploads_the_files_first_then_the_dossier_then_progress_and_status(national, walk, settings):
    settings.NATIONAL_SYNC_PROTOCOL = "v2"
    dossier = walk(RECEIVE)
    uploaded = {u.sha256 for u in UploadedFile.objects.filter(code=dossier.code)}
    assert uploaded == {f.sha256 for f in dossier.files.all()} and uploaded
    held = _held("v2", dossier)
    assert [(m.service, m.status) for m in held] == [("dossier", 1), ("progress", 2), ("status", 2)]
    assert all(f["MaTepDinhKem"].startswith("F") for f in held[0].body["TaiLieuNop"])
    record_ids = {str(u) for u in OutboxRecord.objects.filter(dossier=dossier).values_list("uuid", flat=True)}
    assert record_ids <= set(national.lookup("v2", dossier.code)[dossier.code]["DanhSachMaYeuCau"])


@pytest.mark.parametrize("protocol", ["motcua", "v2"])
def test_a_failing_call_holds_the_later_records_back_until_it_goes(national, walk, settings, protocol):
    settings.NATIONAL_SYNC_PROTOCOL = protocol
    settings.NATIONAL_SYNC_BACKOFF = 60.0
    national.control(protocol, "fail", times=2)
    before = timezone.now()
    dossier = walk(RECEIVE)
    after = timezone.now()
    first, second = OutboxRecord.objects.filter(dossier=dossier).order_by("sequence")
    assert first.state == RecordState.FAILED and first.attempts == 1 and first.last_error
    # The backoff, from the failed call's moment (somewhere in the walk: on a slow machine the walk took over 5 s).
    assert before + timedelta(seconds=60) <= first.next_attempt_at <= after + timedelta(seconds=60)
    assert second.state == RecordState.PENDING and second.attempts == 0  # not sent before the first
    assert _held(protocol, dossier) == []
    assert tasks.outbox_sweep() == 0  # not due yet
    OutboxRecord.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())  # the backoff elapsed
    before = timezone.now()
    tasks.outbox_sweep()
    after = timezone.now()
    first.refresh_from_db()
    assert first.attempts == 2  # and the backoff doubled:
    assert before + timedelta(seconds=120) <= first.next_attempt_at <= after + timedelta(seconds=120)
    OutboxRecord.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    _sweep_until_delivered(dossier)
    assert [m.status for m in _held(protocol, dossier) if m.service != "progress"] == [1, 2]
    first.refresh_from_db()
    assert (first.attempts, first.state) == (3, RecordState.DELIVERED)


@pytest.mark.parametrize("protocol", ["motcua", "v2"])
def test_a_timed_out_answer_is_sent_again_and_held_once(national, walk, settings, protocol):
    settings.NATIONAL_SYNC_PROTOCOL = protocol
    settings.NATIONAL_SYNC_TIMEOUT = 1.0
    national.control(protocol, "timeout", times=1, delay=2.0)  # the client waits 1 s
    dossier = walk()
    record = OutboxRecord.objects.get(dossier=dossier)
    assert record.state == RecordState.FAILED and "timed out" in record.last_error
    _sweep_until_delivered(dossier)
    assert len(_held(protocol, dossier)) == 1  # stored by the first call, not again by the second
    outcomes = list(Call.objects.filter(request_id=str(record.uuid)).order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["timeout", "duplicate"]


@pytest.mark.parametrize("protocol", ["motcua", "v2"])
def test_an_answer_given_twice_stores_the_record_once(national, walk, settings, protocol):
    settings.NATIONAL_SYNC_PROTOCOL = protocol
    national.control(protocol, "twice", times=1)
    dossier = walk()
    record = OutboxRecord.objects.get(dossier=dossier)
    _sweep_until_delivered(dossier)
    record.refresh_from_db()
    assert record.attempts == 2 and record.state == RecordState.DELIVERED
    assert len(_held(protocol, dossier)) == 1
    assert list(Call.objects.filter(request_id=str(record.uuid)).order_by("id").values_list("outcome", flat=True)) == [
        "twice", "duplicate"]


@pytest.mark.parametrize("protocol", ["motcua", "v2"])
def test_the_comparison_finds_a_lost_record_and_sends_it_again(national, walk, build, settings, protocol):
    settings.NATIONAL_SYNC_PROTOCOL = protocol
    dossier = walk()
    national.control(protocol, "lose", times=1 if protocol == "motcua" else 2)  # v2: a step is progress + status
    dossier = services.dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
    lost = OutboxRecord.objects.get(dossier=dossier, sequence=2)
    assert lost.state == RecordState.DELIVERED  # the national side said OK
    assert national.lookup(protocol, dossier.code)[dossier.code]["TrangThaiHoSo"] == 1  # but holds status 1

    report = tasks.outbox_compare()
    assert report["missing"] == [lost.pk]
    lost.refresh_from_db()
    assert lost.state == RecordState.DELIVERED and lost.attempts == 2  # queued again and delivered
    assert national.lookup(protocol, dossier.code)[dossier.code]["TrangThaiHoSo"] == 2
    report = tasks.outbox_compare()
    assert report["missing"] == [] and report["confirmed"] == 2
    assert not OutboxRecord.objects.filter(dossier=dossier, confirmed_at__isnull=True).exists()


def test_order_per_dossier_holds_under_retries(national, walk):
    national.control("motcua", "fail", every=3)
    dossiers = [walk(RECEIVE, START) for _ in range(4)]
    _sweep_until_delivered(*dossiers, rounds=30)
    for dossier in dossiers:
        sent = [m.sequence for m in _held("motcua", dossier)]
        assert sent == [1, 2, 3], (dossier.code, sent)  # arrived in order, each once
    assert Call.objects.filter(outcome="failed").exists()


def test_the_sandbox_page_shows_what_it_received(national, walk):
    dossier = walk()
    assert dossier.code in national.page()
