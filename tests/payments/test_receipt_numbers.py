"""E-receipt numbers: one gap-free series per issuing agency and year, with the agency's form number and symbol,
taken only when a fee is actually paid. The parallel proof is tests/reliability/test_receipt_numbers_concurrency.py."""

from datetime import datetime

import pytest
from django.utils import timezone

from payments.models import Payment, ReceiptSeries
from tests.factories.payments import FEE, open_payment, owed_dossier
from tests.payments.ipn import success_ipn, vnpay_params, vnpay_query

pytestmark = pytest.mark.django_db


def _pay(client, dossier, gateway="vnpay"):
    payment = open_payment(dossier, gateway)
    success_ipn(client, payment)
    payment.refresh_from_db()
    return payment


def test_each_agency_numbers_its_own_receipts_from_one_and_failures_take_no_number(client, build, settings):
    settings.RECEIPT_SYMBOL = "BL{yy}E"
    first, second = owed_dossier(build), owed_dossier(build)
    year = timezone.localdate().year
    ReceiptSeries.objects.create(agency=first.agency, year=year, form_number="01BLP0-001", symbol="KT/26E")

    failed = open_payment(first, "vnpay")
    client.get(f"/thanh-toan/vnpay/ipn/?{vnpay_query(vnpay_params(failed, response='24', status='02'))}")
    paid = [_pay(client, first), _pay(client, second, "momo")]
    first_again = owed_dossier(build, owner=first.owner)
    first_again.agency, first_again.procedure = first.agency, first.procedure
    first_again.save()
    paid.append(_pay(client, first_again, "momo"))

    failed.refresh_from_db()
    assert failed.receipt_number == "" and failed.receipt_series is None
    assert [(p.receipt_series.agency_id, p.receipt_series.symbol, p.receipt_number) for p in paid] == [
        (first.agency_id, "KT/26E", "0000001"),
        (second.agency_id, f"BL{year % 100:02d}E", "0000001"),
        (first.agency_id, "KT/26E", "0000002"),
    ]
    assert paid[0].receipt_label == "Mẫu số 01BLP0-001, ký hiệu KT/26E, số 0000001"


def test_a_repeated_ipn_takes_no_second_number(client, build):
    dossier = owed_dossier(build)
    payment = _pay(client, dossier)
    success_ipn(client, payment)
    success_ipn(client, payment)
    assert ReceiptSeries.objects.get().last_number == 1
    assert Payment.objects.get().receipt_number == "0000001"


def test_a_new_year_starts_a_new_series_from_the_agencys_form_and_symbol(client, build, monkeypatch):
    dossier = owed_dossier(build)
    ReceiptSeries.objects.create(agency=dossier.agency, year=2026, form_number="02BLP0-002", symbol="SXD-26E",
                                 last_number=41)
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(datetime(2027, 1, 4, 9)))
    payment = _pay(client, dossier)
    series = payment.receipt_series
    assert (series.year, series.form_number, series.symbol, payment.receipt_number) == (
        2027, "02BLP0-002", "SXD-27E", "0000001")


def test_the_receipt_is_shown_with_its_series_on_the_fee_page_the_transactions_and_the_email(client, build):
    dossier = owed_dossier(build)
    payment = _pay(client, dossier)
    label = payment.receipt_label
    client.force_login(dossier.owner)
    assert label in client.get(f"/thanh-toan/ho-so/{dossier.code}/").content.decode()
    assert label in client.get("/thanh-toan/").content.decode()
    from notifications.models import Email

    assert f"Biên lai điện tử: {label}" in Email.objects.get(kind="payment_paid").body_text
    response = client.get(f"/thanh-toan/bien-lai/{payment.reference}/")
    assert response["Content-Disposition"].endswith(f'bien-lai-{payment.receipt_series.symbol}-0000001.pdf"')
    assert FEE == payment.amount
