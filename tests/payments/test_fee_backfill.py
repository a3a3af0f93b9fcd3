"""Migration payments 0007 gives existing dossiers the fee states of the new table (issue 26)."""

import importlib

import pytest
from django.apps import apps

from dossiers.constants import DossierStatus, FeeStatus
from payments.constants import PaymentStatus
from tests.factories.payments import FEE, open_payment, owed_dossier

pytestmark = pytest.mark.django_db
backfill = importlib.import_module("payments.migrations.0007_fee_states_backfill")


def _paid(build, *, refunded, online=True):
    dossier = owed_dossier(build)
    dossier.payment_status, dossier.paid_online = FeeStatus.PAID, online
    dossier.save()
    status = (PaymentStatus.PAID if not refunded else PaymentStatus.REFUNDED if refunded == FEE
              else PaymentStatus.PARTLY_REFUNDED)
    payment = open_payment(dossier, status=status)
    payment.refunded_amount = refunded
    payment.save()
    return dossier


def test_refunds_that_left_the_fee_paid_are_corrected_and_recorded(build):
    refunded, partly, kept = _paid(build, refunded=FEE), _paid(build, refunded=50_000), _paid(build, refunded=0)
    counter = _paid(build, refunded=FEE, online=False)  # paid at the counter; a second, online payment given back
    waiting = owed_dossier(build)
    open_payment(waiting)
    unpaid = owed_dossier(build)
    exempt = build.dossier(DossierStatus.RECEIVED, fee_total=FEE, fee_exempt=True, payment_status=FeeStatus.NOT_REQUIRED)
    free = build.dossier(DossierStatus.RECEIVED)

    backfill.forwards(apps, None)

    expected = {refunded: FeeStatus.REFUNDED, partly: FeeStatus.PARTLY_REFUNDED, kept: FeeStatus.PAID,
                counter: FeeStatus.PAID, waiting: FeeStatus.PENDING, unpaid: FeeStatus.UNPAID,
                exempt: FeeStatus.EXEMPT, free: FeeStatus.NOT_REQUIRED}
    for dossier, fee in expected.items():
        dossier.refresh_from_db()
        assert dossier.payment_status == fee, (dossier.code, fee)
    event = refunded.fee_events.get()
    assert (event.from_status, event.to_status) == (FeeStatus.PAID, FeeStatus.REFUNDED) and "0007" in event.note
    assert not kept.fee_events.exists() and not free.fee_events.exists()

    backfill.forwards(apps, None)  # a second run finds nothing more to do
    assert refunded.fee_events.count() == 1
