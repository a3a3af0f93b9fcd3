"""The payment transition table: every change it lists happens, every other one is refused, once."""

import pytest

from payments.constants import PaymentSource, PaymentStatus
from payments.models import Payment
from payments.services import payment_move
from payments.workflow import TRANSITIONS
from tests.factories.payments import open_payment, owed_dossier

pytestmark = pytest.mark.django_db

PAIRS = [(origin, target) for origin in PaymentStatus for target in PaymentStatus if origin != target]


@pytest.mark.parametrize(("origin", "target"), PAIRS, ids=lambda s: s.value)
def test_a_payment_moves_only_as_the_table_says(build, origin, target):
    # Only one pending payment per dossier: the payment under test is the dossier's only one.
    payment = open_payment(owed_dossier(build), status=origin)

    moved = payment_move(payments=Payment.objects.filter(pk=payment.pk), to=target, source=PaymentSource.QUERY,
                         result_message="thử")

    payment.refresh_from_db()
    assert moved == ((origin, target) in TRANSITIONS)
    assert payment.status == (target if moved else origin)
    assert payment.result_message == ("thử" if moved else "")
    # The move, and only a move, leaves its event.
    events = list(payment.events.values_list("source", "from_status", "to_status"))
    assert events == ([(PaymentSource.QUERY, origin, target)] if moved else [])
    # A second writer with the same intent finds the move made (or still refused) and changes nothing.
    assert payment_move(payments=Payment.objects.filter(pk=payment.pk), to=target, source=PaymentSource.IPN) == 0
    assert payment.events.count() == len(events)


def test_a_late_success_is_honoured_from_any_unpaid_end_and_a_refund_is_the_last_word():
    assert {origin for origin, target in TRANSITIONS if target == PaymentStatus.PAID} == {
        PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED}
    assert not [pair for pair in TRANSITIONS if pair[0] == PaymentStatus.REFUNDED]
