"""A citizen's cached pages follow every save and delete of what they show (dossiers/citizen_pages.py).

A signal, not a call in each service: the admin, the wizard, the moves, the purge of old drafts and any later
writer all save through the models. An UPDATE sends no signal: the services that write one call
citizen_pages_changed themselves (dossier_rate; payments' payment_move and refunds).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .citizen_pages import citizen_pages_changed, dossier_pages_changed
from .models import Dossier, DossierEvent, DossierFile


@receiver([post_save, post_delete], sender=Dossier)
def dossier_saved(sender, instance, raw=False, **kwargs):
    citizen_pages_changed(instance.owner_id)


@receiver([post_save, post_delete], sender=DossierEvent)
@receiver([post_save, post_delete], sender=DossierFile)
def dossier_part_saved(sender, instance, raw=False, **kwargs):
    dossier_pages_changed(instance)
