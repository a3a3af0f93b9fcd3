"""Dossiers that owe a fee, and payments in any state, for the payments tests."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from common.events import PAYMENT_MOVED
from dossiers.constants import DossierStatus, FeeStatus
from payments.constants import PaymentStatus
from payments.models import Payment

FEE = 150_000
_seq = iter(range(1, 10**9))


def owed_dossier(build, *, fee=FEE, status=DossierStatus.PAYMENT, owner=None):
    agency = build.agency()
    agency.bank_account_name = "Văn phòng Sở thử nghiệm"
    agency.bank_account_number = "0123456789"
    agency.bank_name = "Vietcombank chi nhánh Kon Tum"
    agency.save()
    procedure = build.procedure(agencies=[agency], fees=(fee,), pay_first=True)
    return build.dossier(status, procedure=procedure, owner=owner, fee_total=fee,
                         payment_status=FeeStatus.UNPAID)


def open_payment(dossier, gateway="vnpay", *, status=PaymentStatus.PENDING, amount=None, minutes_ago=0):
    now = timezone.now() - timedelta(minutes=minutes_ago)
    payment = Payment.objects.create(
        dossier=dossier, gateway=gateway, reference=f"KTTEST{next(_seq):08d}", amount=amount or dossier.fee_total,
        status=status, created_at=now, expires_at=now + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES),
    )
    PAYMENT_MOVED.emit(payment_id=payment.pk, dossier_id=dossier.pk, owner_id=dossier.owner_id)  # as payment_start
    return payment
