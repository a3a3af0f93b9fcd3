"""Receipt numbers under parallel IPNs and browser returns, over HTTP to gunicorn on PostgreSQL.

Two agencies, 24 payments each; every success IPN is sent three times and the payer's browser return once,
all shuffled and sent 24 at a time, with failure IPNs for 8 more payments in the mix. Then each agency's
numbers for the year are exactly 0000001…0000024: none twice, none skipped, none given to a failed payment.
Run ROUNDS times in one gunicorn.
"""

import json
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.utils import timezone

from payments.constants import PaymentStatus
from payments.models import Payment, ReceiptSeries
from tests.factories.dossiers import Builder
from tests.factories.payments import open_payment, owed_dossier
from tests.payments.ipn import momo_payload, momo_sign, vnpay_params, vnpay_query
from tests.support.gunicorn import start_gunicorn

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True)]

PER_AGENCY = 24
FAILED = 8
ROUNDS = 3


@pytest.fixture
def server(tmp_path, redis_url):
    server = start_gunicorn(tmp_path, workers=3, threads=4, CELERY_BROKER_URL=redis_url)
    yield server
    server.stop()


def _calls(payment, *, success=True):
    if payment.gateway == "vnpay":
        params = vnpay_params(payment, response="00" if success else "24", status="00" if success else "02")
        query = vnpay_query(params)
        ipn = ("GET", f"/thanh-toan/vnpay/ipn/?{query}", None)
        back = ("GET", f"/thanh-toan/vnpay/return/?{query}", None)
    else:
        payload = momo_sign(momo_payload(payment, result=0 if success else 1006))
        ipn = ("POST", "/thanh-toan/momo/ipn/", json.dumps(payload))
        back = ("GET", "/thanh-toan/momo/return/?" + "&".join(f"{k}={v}" for k, v in payload.items()), None)
    return [ipn] * (3 if success else 1) + [back]


def test_parallel_ipns_and_returns_number_each_agencys_receipts_without_a_gap(server):
    build = Builder()
    rng = random.Random(20261201)
    year = timezone.localdate().year
    for round_ in range(ROUNDS):
        first, second = owed_dossier(build), owed_dossier(build)
        agencies = [first.agency, second.agency]
        paid, failed = [], []
        for n in range(PER_AGENCY * 2 + FAILED):
            template = (first, second)[n % 2]
            dossier = build.dossier(template.status, procedure=template.procedure, fee_total=template.fee_total,
                                    payment_status=template.payment_status)
            payment = open_payment(dossier, "vnpay" if n % 3 else "momo")
            (paid if n < PER_AGENCY * 2 else failed).append(payment)
        calls = [c for p in paid for c in _calls(p)] + [c for p in failed for c in _calls(p, success=False)]
        rng.shuffle(calls)

        def send(call):
            method, path, body = call
            response = requests.request(method, server.url + path, data=body, timeout=60,
                                        headers={"Content-Type": "application/json", "Connection": "close"})
            return response.status_code

        with ThreadPoolExecutor(max_workers=24) as pool:
            statuses = list(pool.map(send, calls))
        assert all(status < 500 for status in statuses), (round_, server.output()[-2000:])

        for agency in agencies:
            numbers = sorted(Payment.objects.filter(receipt_series__agency=agency, receipt_series__year=year)
                             .values_list("receipt_number", flat=True))
            assert numbers == [f"{n:07d}" for n in range(1, PER_AGENCY + 1)], (round_, agency, numbers)
            assert ReceiptSeries.objects.get(agency=agency, year=year).last_number == PER_AGENCY
        assert Payment.objects.filter(pk__in=[p.pk for p in paid], status=PaymentStatus.PAID).count() == PER_AGENCY * 2
        assert not Payment.objects.filter(pk__in=[p.pk for p in failed]).exclude(receipt_number="").exists()
        print(f"round {round_}: {len(calls)} calls, {PER_AGENCY} receipts per agency, gap-free")
