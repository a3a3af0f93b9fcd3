"""DailyFigures follow the dossiers through their moves, and figures_reconcile finds any drift."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dossiers import services
from dossiers.constants import DossierAction as A
from dossiers.constants import DossierStatus as S
from dossiers.constants import FeeStatus
from dossiers.models import Dossier
from dossiers.uploads import CheckedFile
from dossiers.services import dossier_move
from reports.models import COUNTS, DailyFigures, MonthFigures
from reports.services import figures_reconcile
from tests.factories.dossiers import Builder, pdf_upload
from tests.support.threads import run_together


def _result_files():
    upload = pdf_upload("ket-qua.pdf")
    return [CheckedFile(upload=upload, original_name="ket-qua.pdf", extension="pdf", size=upload.size)]


def _row(dossier) -> DailyFigures:
    return DailyFigures.objects.get(
        day=timezone.localdate(), agency=dossier.agency_id, procedure=dossier.procedure_id
    )


def test_moves_payments_and_ratings_keep_the_row_exact(db):
    build = Builder()
    agency = build.agency()
    procedure = build.procedure(agencies=[agency], fees=[50_000])  # two required components
    clerk = build.clerk(agency)
    drafts = [build.ready_draft(procedure=procedure) for _ in range(2)]
    first, second = (services.dossier_submit(dossier=d, user=d.owner) for d in drafts)
    assert not DailyFigures.objects.exists()  # submitted, not received: counted nowhere yet

    dossier_move(dossier=first, action=A.RECEIVE, actor=clerk)
    dossier_move(dossier=second, action=A.RECEIVE, actor=clerk)
    row = _row(first)
    assert (row.received, row.resolved, row.online, row.owing_fee, row.components, row.digitised) == (2, 0, 2, 2, 4, 4)

    assert services.dossier_mark_paid(dossier=first, online=True)
    dossier_move(dossier=second, action=A.REQUEST_PAYMENT, actor=clerk)
    assert services.dossier_mark_paid(dossier=second, actor=clerk, online=False)  # at the counter
    for action, kwargs in [(A.START, {}), (A.FINISH, {"files": _result_files()}), (A.RETURN_RESULT, {})]:
        dossier_move(dossier=first, action=action, actor=clerk, **kwargs)
    services.dossier_rate(dossier=first, user=first.owner, rating=5)

    row = _row(first)
    month = MonthFigures.objects.get(agency=agency, month=timezone.localdate().replace(day=1))
    assert [getattr(month, n) for n in COUNTS] == [getattr(row, n) for n in COUNTS]  # one day of one procedure
    assert (row.resolved, row.on_time, row.late, row.electronic_result) == (1, 1, 0, 1)
    assert (row.paid, row.paid_online) == (2, 1)
    assert (row.rated, row.rating_sum, row.satisfied) == (1, 5, 1)
    first.refresh_from_db()
    assert row.processing_seconds == int((first.finished_at - first.received_at).total_seconds())
    assert figures_reconcile() == []


def test_a_fee_paid_online_then_given_back_still_counts_as_paid_online(db):
    """The service index counts how fees were paid (Decision 766): a refund later does not undo it (issue 26)."""
    build = Builder()
    agency = build.agency()
    clerk = build.clerk(agency)
    draft = build.ready_draft(procedure=build.procedure(agencies=[agency], fees=[50_000]))
    dossier = services.dossier_submit(dossier=draft, user=draft.owner)
    dossier_move(dossier=dossier, action=A.RECEIVE, actor=clerk)
    assert services.dossier_mark_paid(dossier=dossier, online=True)

    for fee in (FeeStatus.PARTLY_REFUNDED, FeeStatus.REFUNDED):
        services.dossier_fee_move(dossier=dossier, to=fee)
        row = _row(dossier)
        assert (row.owing_fee, row.paid, row.paid_online) == (1, 1, 1), fee
    assert figures_reconcile() == []


def test_reconcile_finds_a_deliberate_drift_and_fixes_it(db, capsys):
    build = Builder()
    agency = build.agency()
    clerk = build.clerk(agency)
    dossier = services.dossier_submit(dossier=(d := build.ready_draft(procedure=build.procedure(agencies=[agency]))), user=d.owner)
    dossier_move(dossier=dossier, action=A.RECEIVE, actor=clerk)
    call_command("figures_reconcile")
    assert "Số liệu khớp với bảng hồ sơ." in capsys.readouterr().out

    # A write that bypasses the services (a hand-made SQL fix, a bug): the figures no longer tell the truth.
    Dossier.objects.filter(pk=dossier.pk).update(is_online=False, payment_status=FeeStatus.PAID)
    with pytest.raises(CommandError, match="1 dòng số liệu lệch"):
        call_command("figures_reconcile")
    out = capsys.readouterr().out
    assert "'online': (1, 0)" in out and "'paid': (0, 1)" in out

    call_command("figures_reconcile", "--fix")
    assert "Đã sửa 2 dòng lệch." in capsys.readouterr().out  # the day, then its month
    assert (_row(dossier).online, _row(dossier).paid) == (0, 1)
    call_command("figures_reconcile")
    assert "Số liệu khớp với bảng hồ sơ." in capsys.readouterr().out

    # A row whose dossiers are gone is found too.
    DailyFigures.objects.create(day=timezone.localdate() - timedelta(days=40), agency=agency, procedure=dossier.procedure,
                                received=3)
    drifts = [str(d) for d in figures_reconcile()]
    assert len(drifts) == 2 and drifts[0].endswith("received': 3, 'resolved': 0, " + drifts[0].split("'resolved': 0, ", 1)[1])
    assert "thừa dòng" in drifts[0] and "tháng" in drifts[1] and "thiếu dòng" in drifts[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_receptions_in_one_row_are_all_counted():
    build = Builder()
    agency = build.agency()
    procedure = build.procedure(agencies=[agency])
    clerks = [build.clerk(agency) for _ in range(4)]
    dossiers = [build.dossier(S.SUBMITTED, procedure=procedure, received_at=None, due_date=None) for _ in range(4)]

    results = run_together(*[
        (lambda d=d, c=c: dossier_move(dossier=d, action=A.RECEIVE, actor=c)) for d, c in zip(dossiers, clerks)
    ])

    assert all(isinstance(r, Dossier) for r in results), results
    assert _row(dossiers[0]).received == 4
    assert figures_reconcile() == []


def test_overdue_follows_the_moves_through_the_clock_rows(db, client):
    """"Overdue as of today" is read from ClockFigures (per agency, month and due date), kept by the moves: a
    dossier past its due date counts until it is finished, and a lost row is found and put back."""
    from reports.models import ClockFigures
    from reports.selectors import dossier_statistics
    from reports.services import figures_refresh

    build = Builder()
    agency = build.agency()
    clerk = build.clerk(agency)
    procedure = build.procedure(agencies=[agency])
    received = timezone.now() - timedelta(days=20)
    late = build.dossier(S.PROCESSING, procedure=procedure, received_at=received,
                         due_date=timezone.localdate() - timedelta(days=3))
    due_later = build.dossier(S.PROCESSING, procedure=procedure, received_at=received,
                              due_date=timezone.localdate() + timedelta(days=3))
    for dossier in (late, due_later):
        figures_refresh(dossier=dossier)  # what a move does
    year = timezone.localdate(received).year
    assert dossier_statistics(year=year).total.overdue == 1
    assert figures_reconcile() == []

    dossier_move(dossier=late, action=A.FINISH, actor=clerk, files=_result_files())
    assert dossier_statistics(year=year).total.overdue == 0
    assert figures_reconcile() == []

    ClockFigures.objects.all().delete()  # a bug, a hand-made fix
    drifts = [str(d) for d in figures_reconcile()]
    assert len(drifts) == 1 and "hồ sơ đang tính hạn (đang lưu, đúng) (0, 1)" in drifts[0]
    call_command("figures_reconcile", "--fix")
    assert figures_reconcile() == [] and ClockFigures.objects.get().running == 1
