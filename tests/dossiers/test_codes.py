"""Dossier codes: <agency>-YYMMDD-NNNN, a gap-free sequence per agency per day (Circular 01/2018/TT-VPCP art. 19)."""

import threading
from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.services import dossier_submit
from dossiers.services import dossier_code_next
from tests.support.threads import run_times, run_together


def test_sequence_per_agency_and_per_day(build):
    a, b = build.agency("000.00.21.H34"), build.agency("000.00.22.H34")
    day1, day2 = date(2026, 11, 22), date(2026, 11, 23)
    assert [dossier_code_next(agency=a, day=day1) for _ in range(3)] == [
        "000.00.21.H34-261122-0001", "000.00.21.H34-261122-0002", "000.00.21.H34-261122-0003",
    ]
    assert dossier_code_next(agency=b, day=day1) == "000.00.22.H34-261122-0001"
    assert dossier_code_next(agency=a, day=day2) == "000.00.21.H34-261123-0001"


def test_submission_takes_the_local_day_and_the_receiving_agency(build, monkeypatch):
    agency = build.agency("000.00.31.H34")
    procedure = build.procedure(agencies=[agency])
    draft = build.ready_draft(procedure=procedure)
    # 23:30 UTC on the 21st is already the 22nd in Kon Tum (UTC+7).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 21, 23, 30, tzinfo=timezone.UTC if hasattr(timezone, "UTC") else __import__("datetime").timezone.utc))
    dossier = dossier_submit(dossier=draft, user=draft.owner)
    assert dossier.code == "000.00.31.H34-261122-0001"
    assert len(dossier.lookup_key) == 6


def test_submitting_twice_gives_one_dossier_and_one_code(build):
    draft = build.ready_draft()
    first = dossier_submit(dossier=draft, user=draft.owner)
    second = dossier_submit(dossier=draft, user=draft.owner)
    assert first.code == second.code
    assert Dossier.objects.exclude(status=DossierStatus.DRAFT).count() == 1
    assert first.events.filter(action="submit").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_get_codes_0001_to_0050():
    from tests.factories.dossiers import Builder

    build = Builder()
    agency = build.agency("000.00.41.H34")
    procedure = build.procedure(agencies=[agency], components=())
    drafts = [build.ready_draft(procedure=procedure, owner=build.citizen()) for _ in range(50)]
    run_together(*[lambda d=d: dossier_submit(dossier=d, user=d.owner) for d in drafts], raise_errors=True)

    day = timezone.localdate()
    codes = sorted(Dossier.objects.filter(agency=agency).values_list("code", flat=True))
    assert codes == [f"000.00.41.H34-{day:%y%m%d}-{n:04d}" for n in range(1, 51)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_draft_submitted_from_two_tabs_at_once_gives_one_dossier():
    from tests.factories.dossiers import Builder

    draft = Builder().ready_draft()
    codes = [dossier.code for dossier in run_times(lambda: dossier_submit(dossier=draft, user=draft.owner), 2,
                                                   raise_errors=True)]
    assert len(codes) == 2 and codes[0] == codes[1]
    draft.refresh_from_db()
    assert draft.events.filter(action="submit").count() == 1
    assert Dossier.objects.exclude(status=DossierStatus.DRAFT).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_submission_does_not_wait_for_staff_editing_the_agency():
    """A move locks the dossier's row only: with the procedure, agency and owner rows locked too, a submission
    waited for any edit of them and, against a payment's IPN of the same agency, deadlocked (the restore drill's
    load found it)."""
    from django.db import transaction

    from procedures.models import Agency
    from tests.factories.dossiers import Builder

    build = Builder()
    procedure = build.procedure()
    draft = build.ready_draft(procedure=procedure, owner=build.citizen())
    editing, done = threading.Event(), threading.Event()

    def staff_edit():
        try:
            with transaction.atomic():  # the admin's save of the agency's page, its transaction still open
                Agency.objects.filter(pk=draft.agency_id).update(name="Sở thử nghiệm (đang sửa)")
                editing.set()
                done.wait(30)
        finally:
            connection.close()

    editor = threading.Thread(target=staff_edit)
    editor.start()
    try:
        assert editing.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        submitted = dossier_submit(dossier=draft, user=draft.owner)
    finally:
        done.set()
        editor.join()
    assert submitted.status == DossierStatus.SUBMITTED and submitted.code
