"""The payment lifecycle: THE table of allowed status changes; services.payment_move applies it and writes each
move's PaymentEvent (the dossier's fee has its own table: dossiers.workflow.FEE_TRANSITIONS).

A payment is created PENDING. Its final states never change, with two exceptions a gateway forces on us:
a success confirmed after a failure, a cancellation or an expiry is honoured (the money did move), and a
paid payment can be refunded.
"""

from .constants import PaymentStatus

P = PaymentStatus

# (from, to): every change of a payment's status the portal makes.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset({
    (P.PENDING, P.PAID),
    (P.PENDING, P.FAILED),
    (P.PENDING, P.CANCELLED),  # the payer gave up, or chose another way to pay
    (P.PENDING, P.EXPIRED),
    (P.FAILED, P.PAID),
    (P.CANCELLED, P.PAID),
    (P.EXPIRED, P.PAID),
    (P.PAID, P.PARTLY_REFUNDED),  # a refund of part of the fee
    (P.PAID, P.REFUNDED),  # a refund of the whole fee
    (P.PARTLY_REFUNDED, P.REFUNDED),  # the last part
})


def sources(to: str) -> frozenset[str]:
    """The states a payment may be in to move to `to`."""
    return frozenset(origin for origin, target in TRANSITIONS if target == to)
