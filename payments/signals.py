"""A citizen's cached pages (dossiers/citizen_pages.py) follow each save and delete of their payments, refunds and
fee lines; payment_move and the refund's conclusion, which UPDATE, call citizen_pages_changed themselves."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dossiers.citizen_pages import citizen_pages_changed, dossier_pages_changed

from .models import DossierFeeLine, Payment, Refund


@receiver([post_save, post_delete], sender=Payment)
@receiver([post_save, post_delete], sender=DossierFeeLine)
def payment_saved(sender, instance, raw=False, **kwargs):
    dossier_pages_changed(instance)


@receiver([post_save, post_delete], sender=Refund)
def refund_saved(sender, instance, raw=False, **kwargs):
    citizen_pages_changed(Payment.objects.filter(pk=instance.payment_id).values_list("dossier__owner_id", flat=True)
                          .first())
