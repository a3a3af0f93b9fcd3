"""Keep the folded search column in step when a procedure's agencies, agency or field change."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .agency_labels import agency_search_names
from .models import Agency, Field, Procedure, SearchSynonym
from .selectors import catalogue_changed


@receiver([post_save, post_delete], sender=Procedure)
@receiver([post_save, post_delete], sender=Agency)
@receiver([post_save, post_delete], sender=Field)
@receiver([post_save, post_delete], sender=SearchSynonym)
def catalogue_saved(sender, **kwargs):
    catalogue_changed()


def _refresh(procedures) -> None:
    for procedure in procedures.select_related("field").prefetch_related("agencies"):
        procedure.refresh_search_text(agency_names=agency_search_names(procedure.agencies.all()))
        Procedure.objects.filter(pk=procedure.pk).update(
            name_folded=procedure.name_folded, search_text=procedure.search_text
        )


@receiver(m2m_changed, sender=Procedure.agencies.through)
def procedure_agencies_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    catalogue_changed()
    if reverse:  # agency.procedures.add(...): instance is the agency
        _refresh(Procedure.objects.filter(pk__in=pk_set) if pk_set else instance.procedures.all())
    else:
        _refresh(Procedure.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Agency)
def agency_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        _refresh(instance.procedures.all())


@receiver(post_save, sender=Field)
def field_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        _refresh(instance.procedures.all())
