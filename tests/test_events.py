"""The domain's events (common.events): one catalogue, emitted by services, followed by apps in apps.py; no other
path from one app's change to another's side effect (no hook list, no model signal, no hand call to a cache)."""

import re
from pathlib import Path

import pytest
from django.contrib import admin

from common import events
from procedures.admin import CatalogueWriteAdmin
from procedures.models import Agency, FeeItem, Field, Procedure, RequiredComponent, SearchSynonym
from tests.factories.dossiers import Builder
from tests.test_structure import product_modules

ROOT = Path(__file__).resolve().parent.parent

# Who follows each event: the subscribers' qualified names, as apps.py subscribe them.
FOLLOWERS = {
    "dossier.submitted": {"payments.services.dossier_fees_snapshot", "national_sync.services.outbox_dossier_submitted"},
    "dossier.moved": {"dossiers.citizen_pages.dossier_followed", "reports.services.figures_refresh",
                      "national_sync.services.outbox_dossier_moved",
                      "api.services.dossier_change_record"},  # the API's changes feed
    "dossier.edited": {"dossiers.citizen_pages.dossier_followed"},
    "payment.moved": {"dossiers.citizen_pages.payment_followed"},
    "catalogue.changed": {"procedures.versioning.bump"},
}


def _sources() -> dict[str, str]:
    """The product's modules but the catalogue itself (its docstring shows how to use it)."""
    return {name: path.read_text() for name, path in product_modules().items() if name != "common.events"}


def test_each_event_is_followed_as_the_catalogue_says():
    found = {event.name: {f"{h.__module__}.{h.__qualname__}" for h in event.subscribers} for event in events.CATALOGUE}
    assert found == FOLLOWERS


def test_apps_subscribe_only_in_their_apps_py_and_services_emit():
    subscribing, emitting = set(), set()
    for module, text in _sources().items():
        if re.search(r"\b[A-Z_]+\.subscribe\(", text):
            subscribing.add(module)
        if re.search(r"\b[A-Z_]+\.emit\(", text):
            emitting.add(module)
    assert all(module.endswith(".apps") for module in subscribing), subscribing
    # The services, and the catalogue's rows themselves (procedures.models.CatalogueRow: a save in a shell too).
    assert all(".services" in module or module == "procedures.models" for module in emitting), emitting
    for event in events.CATALOGUE:  # each is emitted somewhere
        constant = next(name for name, value in vars(events).items() if value is event)
        assert any(f"{constant}.emit(" in text for text in _sources().values()), constant


def test_no_model_signal_nor_hook_list_carries_a_side_effect():
    """Django's own hooks stay for what is the framework's: a new connection's collation, the roles after migrate."""
    allowed = {"common.collation": "connection_created", "accounts.apps": "post_migrate",
               "accounts.staff": "post_migrate"}
    for module, text in _sources().items():
        for hook in re.findall(r"\b(post_save|post_delete|pre_save|pre_delete|m2m_changed|connection_created|"
                               r"post_migrate|@receiver|_HANDLERS)\b", text):
            assert allowed.get(module) == hook, f"{module} uses {hook}"


def test_every_admin_of_a_catalogue_model_writes_through_the_catalogue_services():
    for model in (Agency, Field, Procedure, RequiredComponent, FeeItem, SearchSynonym):
        assert isinstance(admin.site._registry[model], CatalogueWriteAdmin), model


def test_an_event_refuses_a_payload_it_does_not_carry():
    with pytest.raises(TypeError, match="dossier.moved carries"):
        events.DOSSIER_MOVED.emit(dossier=None, extra=1)


@pytest.mark.django_db
def test_a_submission_emits_submitted_then_moved_in_its_transaction(monkeypatch):
    from dossiers.services import dossier_submit

    seen = []
    for event in (events.DOSSIER_SUBMITTED, events.DOSSIER_MOVED):
        monkeypatch.setattr(event, "subscribers", [*event.subscribers,
                                                   lambda dossier, name=event.name: seen.append((name, dossier.code))])
    build = Builder()
    draft = build.ready_draft(procedure=build.procedure(fees=(50000,)))
    dossier = dossier_submit(dossier=draft, user=draft.owner)
    assert seen == [("dossier.submitted", dossier.code), ("dossier.moved", dossier.code)]
    assert list(dossier.fee_lines.values_list("amount", flat=True)) == [50000]  # payments followed it
