"""The outbox is written with the change it reports, in the same transaction, with the national codes."""

import pytest
from django.db import transaction

from dossiers import services
from dossiers.constants import DossierAction, DossierStatus, SubmitMethod
from national_sync.constants import NATIONAL_STATUS, RecordKind, RecordState, channel_of
from national_sync.models import OutboxRecord
from tests.national_sync.conftest import RECEIVE, START

pytestmark = pytest.mark.django_db

# The national portal's list, as the issue (and the portal's published codes) give it.
PUBLISHED = {1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung",
             6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân rút hồ sơ", 8: "Dừng xử lý", 9: "Đã xử lý xong",
             10: "Đã trả kết quả"}


@pytest.fixture
def on(settings):
    settings.NATIONAL_SYNC_ENABLED = True
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_every_state_but_the_draft_has_its_national_code():
    assert set(NATIONAL_STATUS) == set(DossierStatus) - {DossierStatus.DRAFT}
    assert sorted(NATIONAL_STATUS.values()) == list(range(1, 11))
    from national_sync.constants import NATIONAL_STATUS_LABELS

    assert NATIONAL_STATUS_LABELS == PUBLISHED


def test_channel_codes():
    assert channel_of(is_online=True, submit_method=SubmitMethod.ONLINE) == 2
    assert channel_of(is_online=False, submit_method=SubmitMethod.ONLINE) == 1
    assert channel_of(is_online=True, submit_method=SubmitMethod.POST) == 3


def test_submission_and_each_step_write_a_record_in_sequence(on, walk):
    dossier = walk(RECEIVE, START)
    records = list(OutboxRecord.objects.filter(dossier=dossier).order_by("sequence"))
    assert [(r.sequence, r.kind, r.national_status) for r in records] == [
        (1, RecordKind.DOSSIER, 1), (2, RecordKind.STATUS, 2), (3, RecordKind.STATUS, 4)]
    assert {r.channel for r in records} == {2}
    assert {r.procedure_code for r in records} == {dossier.procedure.national_code}
    assert all(r.state == RecordState.PENDING or r.state == RecordState.FAILED for r in records)  # nothing listens


def test_a_fee_move_alone_writes_none_but_an_extension_writes_progress(on, walk, build):
    dossier = walk(RECEIVE, START)
    before = OutboxRecord.objects.filter(dossier=dossier).count()
    services.dossier_fee_move(dossier=dossier, to="pending")
    assert OutboxRecord.objects.filter(dossier=dossier).count() == before
    clerk = build.clerk(dossier.agency)
    services.dossier_move(dossier=dossier, action=DossierAction.EXTEND, actor=clerk, note="Gia hạn",
                          due_date=dossier.due_date + __import__("datetime").timedelta(days=3))
    last = OutboxRecord.objects.filter(dossier=dossier).order_by("-sequence").first()
    assert (last.kind, last.national_status) == (RecordKind.PROGRESS, 4)


def test_a_rolled_back_move_leaves_no_record(on, walk, build):
    dossier = walk()
    assert OutboxRecord.objects.filter(dossier=dossier).count() == 1
    clerk = build.clerk(dossier.agency)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=clerk)
            assert OutboxRecord.objects.filter(dossier=dossier).count() == 2  # written inside the move's transaction
            raise RuntimeError("the request failed after the move")
    assert OutboxRecord.objects.filter(dossier=dossier).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_a_refused_move_writes_none(on, walk, build):
    dossier = walk()
    from dossiers.workflow import MoveNotAllowed

    with pytest.raises(MoveNotAllowed):
        services.dossier_move(dossier=dossier, action=DossierAction.FINISH, actor=build.clerk(dossier.agency))
    assert OutboxRecord.objects.filter(dossier=dossier).count() == 1


def test_nothing_is_written_while_sync_is_off(walk, settings):
    settings.NATIONAL_SYNC_ENABLED = False
    dossier = walk(RECEIVE)
    assert not OutboxRecord.objects.filter(dossier=dossier).exists()
