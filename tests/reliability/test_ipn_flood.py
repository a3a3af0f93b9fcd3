"""1 000 IPN callbacks for 400 payments, duplicated and out of order, over HTTP to gunicorn on PostgreSQL.

Half the payments are VNPay, half MoMo; each payment's success IPN is sent 1 to 4 times (as a gateway
that got no answer in time sends it again), signed with the sandbox's own signer; some payments also get a
stale "still pending" notification, and everything arrives shuffled, 32 at a time, with the four copies of
some payments sent back to back so that they race. Then each payment is paid exactly once: one paid event
on its dossier, one receipt e-mail queued, every callback stored, and each answer is what the gateway's
protocol asks for (DESIGN.md §6: VNPay RspCode 00 once then 02; MoMo 204). Time is bounded by the HTTP
timeouts.
"""

import json
import random
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from dossiers.constants import DossierAction, DossierStatus, FeeStatus
from dossiers.models import Dossier, DossierEvent
from notifications.models import Email
from payments.constants import CallbackKind, PaymentStatus
from payments.models import GatewayCallback, Payment
from tests.factories.dossiers import Builder
from tests.factories.payments import FEE, open_payment
from tests.payments.ipn import momo_payload, momo_sign, vnpay_params, vnpay_query
from tests.support.gunicorn import start_gunicorn

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True)]

PAYMENTS = 400
COPIES = (1, 2, 3, 4)  # success IPNs per payment, in turn: 100 × (1 + 2 + 3 + 4) = 1 000
STALE_EVERY = 5  # every 5th payment with two copies or more has one replaced by a stale "pending" notification


@pytest.fixture
def server(tmp_path, redis_url):
    # The receipt e-mails are published to Redis, as in production; no worker consumes them here.
    server = start_gunicorn(tmp_path, workers=3, threads=4, CELERY_BROKER_URL=redis_url)
    yield server
    server.stop()


def _owed_dossiers(count: int) -> list[Dossier]:
    build = Builder()
    procedure = build.procedure(fees=(FEE,), pay_first=True)
    agency = procedure.agencies.get()
    owners = [build.citizen() for _ in range(20)]
    day = timezone.localdate()
    return [build.dossier(DossierStatus.PAYMENT, procedure=procedure, owner=owners[n % len(owners)], fee_total=FEE,
                          payment_status=FeeStatus.UNPAID, code=f"{agency.code}-{day:%y%m%d}-{n + 1:04d}")
            for n in range(count)]


def _delivery(payment, *, pending=False):
    """(payment id, kind, method, path, body) of one IPN as the gateway sends it."""
    kind = "pending" if pending else "success"
    if payment.gateway == "vnpay":
        params = vnpay_params(payment, status="01" if pending else "00")
        return payment.pk, kind, "GET", f"/thanh-toan/vnpay/ipn/?{vnpay_query(params)}", None
    body = json.dumps(momo_sign(momo_payload(payment, result=7000 if pending else 0)))
    return payment.pk, kind, "POST", "/thanh-toan/momo/ipn/", body


def _schedule(payments, rng) -> list[tuple]:
    singles, bursts = [], []
    for n, payment in enumerate(payments):
        copies = COPIES[n % len(COPIES)]
        stale = copies >= 2 and n % STALE_EVERY == 0
        deliveries = [_delivery(payment) for _ in range(copies - stale)] + ([_delivery(payment, pending=True)] * stale)
        rng.shuffle(deliveries)
        if copies == 4 and n % 2:
            bursts.append(deliveries)
        else:
            singles.extend(deliveries)
    rng.shuffle(singles)
    for burst in bursts:  # four copies back to back, somewhere in the stream
        at = rng.randrange(len(singles) + 1)
        singles[at:at] = burst
    return singles


def test_a_thousand_ipns_with_duplicates_pay_each_payment_once(server):
    dossiers = _owed_dossiers(PAYMENTS)
    payments = [open_payment(d, "vnpay" if n % 2 else "momo") for n, d in enumerate(dossiers)]
    schedule = _schedule(payments, random.Random(20261122))
    assert len(schedule) == 1000

    def send(delivery):
        payment_id, kind, method, path, body = delivery
        response = requests.request(method, server.url + path, data=body, timeout=60,
                                    headers={"Content-Type": "application/json", "Connection": "close"})
        answer = "204" if response.status_code == 204 else response.json().get("RspCode", response.status_code)
        return payment_id, kind, response.status_code, answer

    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(send, schedule))

    by_payment = defaultdict(list)
    for payment_id, kind, status, answer in answers:
        by_payment[payment_id].append((kind, status, answer))
    gateway = {p.pk: p.gateway for p in payments}
    for payment_id, got in by_payment.items():
        if gateway[payment_id] == "momo":
            assert {(status, answer) for _, status, answer in got} == {(204, "204")}, got
        else:
            assert all(status == 200 for _, status, _ in got), got
            successes = sorted(answer for kind, _, answer in got if kind == "success")
            assert successes == ["00"] + ["02"] * (len(successes) - 1), got  # confirmed once, then "already"
            assert all(answer in ("00", "02") for kind, _, answer in got if kind == "pending"), got

    # Every callback stored and judged; each payment and dossier paid exactly once.
    callbacks = GatewayCallback.objects.filter(kind=CallbackKind.IPN)
    assert callbacks.count() == 1000
    assert not callbacks.filter(outcome__in=["", "unexpected", "bad_signature", "unknown_order", "wrong_amount"])
    assert Counter(callbacks.values_list("payment_id", flat=True)) == \
        Counter(payment_id for payment_id, *_ in schedule)
    assert callbacks.filter(outcome="accepted", payment__status=PaymentStatus.PAID).exclude(
        query__contains="vnp_TransactionStatus=01").exclude(body__contains='"resultCode": 7000').count() == PAYMENTS
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == PAYMENTS
    assert Payment.objects.filter(status=PaymentStatus.PAID, paid_at__isnull=False,
                                  gateway_transaction_id__isnull=False).count() == PAYMENTS
    paid_events = Counter(DossierEvent.objects.filter(action=DossierAction.MARK_PAID).values_list("dossier_id",
                                                                                                 flat=True))
    assert paid_events == Counter({d.pk: 1 for d in dossiers})
    assert Dossier.objects.filter(payment_status=FeeStatus.PAID, paid_at__isnull=False,
                                  status=DossierStatus.PROCESSING).count() == PAYMENTS
    receipts = Counter(Email.objects.filter(kind="payment_paid").values_list("to", flat=True))
    assert receipts == Counter(d.recipient_email for d in dossiers)
    # paid_at was set once: it is the moment of the one paid event, not of a later duplicate.
    for dossier in Dossier.objects.filter(pk__in=[d.pk for d in dossiers[:50]]):
        event = dossier.events.get(action=DossierAction.MARK_PAID)
        assert abs(event.created_at - dossier.paid_at) < timedelta(seconds=5)
    successes = sum(1 for d in schedule if d[1] == "success")
    print(f"\nIPNs sent {len(schedule)}, duplicate successes {successes - PAYMENTS}, stale pending "
          f"{sum(1 for d in schedule if d[1] == 'pending')}, paid transitions {sum(paid_events.values())}, "
          f"receipt e-mails {sum(receipts.values())}")
