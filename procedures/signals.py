"""Every write to the catalogue moves its version; the folded search column follows a procedure's agencies,
agency or field.

The version's receivers are connected last, so that it moves after the rows it stands for are written: the
version's row is locked from its move to the commit, and a writer that took it first and then waited for a
procedure another writer holds could deadlock with it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .agency_labels import agency_search_names
from .models import Agency, FeeItem, Field, Procedure, ProcedureChannel, RequiredComponent, SearchSynonym
from .services import catalogue_changed

# What the public pages, the search and the wizard show of the catalogue: a save or delete of any of them is a
# change of the catalogue (procedures.versioning).
CATALOGUE_MODELS = (Procedure, RequiredComponent, FeeItem, ProcedureChannel, Agency, Field, SearchSynonym)


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
    if reverse:  # agency.procedures.add(...): instance is the agency
        _refresh(Procedure.objects.filter(pk__in=pk_set) if pk_set else instance.procedures.all())
    else:
        _refresh(Procedure.objects.filter(pk=instance.pk))
    catalogue_changed()


@receiver(post_save, sender=Agency)
def agency_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        _refresh(instance.procedures.all())


@receiver(post_save, sender=Field)
def field_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        _refresh(instance.procedures.all())


def catalogue_saved(sender, **kwargs):
    catalogue_changed()


def connect_catalogue_version() -> None:
    """Move the catalogue's version on every save and delete of its rows (called from AppConfig.ready)."""
    for model in CATALOGUE_MODELS:
        post_save.connect(catalogue_saved, sender=model, dispatch_uid=f"catalogue-saved-{model.__name__}")
        post_delete.connect(catalogue_saved, sender=model, dispatch_uid=f"catalogue-deleted-{model.__name__}")
