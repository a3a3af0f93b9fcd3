"""Numbering across a point-in-time restore (docs/operations.md): the marks taken from the damaged database lift the
restored counters, so that no dossier code or receipt number a citizen already holds is given again. The whole
restore is proved by the drill (ops/drill.py, `make drill`)."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from dossiers.models import DossierCodeSequence
from dossiers.services import dossier_submit
from payments.models import ReceiptSeries
from tests.factories.payments import open_payment, owed_dossier
from tests.payments.ipn import success_ipn

pytestmark = pytest.mark.django_db


def _submit(build, procedure, owner):
    return dossier_submit(dossier=build.ready_draft(procedure=procedure, owner=owner), user=owner)


def _paid_receipt(client, dossier):
    payment = open_payment(dossier)
    success_ipn(client, payment)
    payment.refresh_from_db()
    return payment.receipt_number


def _export(tmp_path):
    out = io.StringIO()
    call_command("numbering_export", stdout=out)
    path = tmp_path / "marks.json"
    path.write_text(out.getvalue())
    return path


def test_after_a_restore_the_raised_counters_give_no_number_twice(client, build, tmp_path):
    procedure, owner = build.procedure(), build.citizen()
    issued = [_submit(build, procedure, build.citizen()).code for _ in range(3)]
    owed = owed_dossier(build, owner=owner)
    receipt = _paid_receipt(client, owed)
    marks = _export(tmp_path)
    # The restore to an earlier time: the counters are back where they were before the last code and receipt.
    DossierCodeSequence.objects.update(last=1)
    ReceiptSeries.objects.filter(agency=owed.agency).update(last_number=0)

    out = io.StringIO()
    call_command("numbering_raise", str(marks), stdout=out)

    assert "Đã nâng 1 dãy số hồ sơ (cơ quan, ngày) và 1 dãy số biên lai" in out.getvalue()
    new_code = _submit(build, procedure, build.citizen()).code
    assert new_code not in issued and new_code.endswith("-0004")
    again = owed_dossier(build, owner=owner)
    again.agency, again.procedure = owed.agency, owed.procedure
    again.save()
    assert receipt == "0000001" and _paid_receipt(client, again) == "0000002"


def test_a_mark_never_lowers_a_counter_and_an_unknown_agency_is_left_out(build, tmp_path):
    procedure = build.procedure()
    agency = procedure.agencies.get()
    for _ in range(5):
        _submit(build, procedure, build.citizen())
    year = timezone.localdate().year
    marks = tmp_path / "marks.json"
    marks.write_text(json.dumps({
        "dossier_codes": [{"agency": agency.code, "day": timezone.localdate().isoformat(), "last": 2},
                          {"agency": "999.99.99.H34", "day": "2026-01-05", "last": 40}],
        "receipts": [{"agency": agency.code, "year": year, "last": 7}],
    }))

    call_command("numbering_raise", str(marks), stdout=io.StringIO())

    assert DossierCodeSequence.objects.get(agency=agency).last == 5
    assert not DossierCodeSequence.objects.exclude(agency=agency).exists()
    assert ReceiptSeries.objects.get(agency=agency, year=year).last_number == 7
