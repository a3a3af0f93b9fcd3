"""Give existing dossiers the fee states of the new table (dossiers.workflow.FEE_TRANSITIONS): a fee the applicant
is exempt from, a payment waiting at a gateway, and refunds, which used to leave the fee "paid". Each correction
leaves a fee event, so the fee's history says why it changed."""

from django.db import migrations
from django.db.models import Q

NOTE = "Chuyển sang bảng tình trạng phí mới (migration payments 0007)"
MONEY_RECEIVED = ("paid", "partly_refunded", "refunded")


def _move(Dossier, DossierFeeEvent, dossier, to):
    DossierFeeEvent.objects.create(dossier_id=dossier.pk, from_status=dossier.payment_status, to_status=to, note=NOTE)
    Dossier.objects.filter(pk=dossier.pk).update(payment_status=to)


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierFeeEvent = apps.get_model("dossiers", "DossierFeeEvent")
    Payment = apps.get_model("payments", "Payment")
    exempt = Dossier.objects.filter(fee_exempt=True, fee_total__gt=0, payment_status__in=("not_required", "unpaid"))
    for dossier in exempt.only("pk", "payment_status").iterator():
        _move(Dossier, DossierFeeEvent, dossier, "exempt")
    waiting = Dossier.objects.filter(payment_status="unpaid", payments__status="pending").distinct()
    for dossier in waiting.only("pk", "payment_status").iterator():
        _move(Dossier, DossierFeeEvent, dossier, "pending")
    # As payments.services._fee_after_refund: what the payments still hold, plus a fee paid at the counter.
    refunded = Dossier.objects.filter(payment_status="paid", payments__refunded_amount__gt=0).distinct()
    for dossier in refunded.only("pk", "payment_status", "fee_total", "paid_online").iterator():
        kept = sum(p.amount - p.refunded_amount
                   for p in Payment.objects.filter(dossier_id=dossier.pk, status__in=MONEY_RECEIVED))
        kept += 0 if dossier.paid_online else dossier.fee_total
        if kept < dossier.fee_total:
            _move(Dossier, DossierFeeEvent, dossier, "partly_refunded" if kept > 0 else "refunded")


def backwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(payment_status="exempt").update(payment_status="not_required")
    Dossier.objects.filter(payment_status="pending").update(payment_status="unpaid")
    Dossier.objects.filter(Q(payment_status="partly_refunded") | Q(payment_status="refunded")).update(payment_status="paid")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0010_fee_states_and_fee_events"),
        ("payments", "0006_payment_events"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
