"""The domain's events: the one catalogue of what happens in the portal that another part of it follows.

A service that makes the change emits its event, inside the transaction that writes it; an app that follows it
subscribes in its AppConfig.ready. This is the only way one app's change reaches another app's side effect (a
statistics row recounted, a citizen's kept pages dropped, the fee lines fixed, the catalogue's version moved): no
hook lists, no model signals, no hand calls from a service to another app's cache.

Subscribers run in the emitter's transaction, in the order they subscribed: a subscriber that raises rolls the
change back (the fee lines of a submission must exist with it). What must wait for the commit (an e-mail, a cache
deletion seen by other processes) is put off by the subscriber itself with transaction.on_commit.

    DOSSIER_SUBMITTED.subscribe(dossier_fees_snapshot)   # in payments/apps.py
    DOSSIER_SUBMITTED.emit(dossier=locked)               # in dossiers.services.moves
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(eq=False)
class DomainEvent:
    """One named event: its payload's names, what it means, and who follows it."""

    name: str
    payload: tuple[str, ...]
    meaning: str
    subscribers: list[Callable[..., object]] = field(default_factory=list, repr=False)

    def subscribe(self, handler: Callable[..., object]) -> Callable[..., object]:
        """Have `handler(**payload)` called on every emission (once, however often AppConfig.ready runs)."""
        if handler not in self.subscribers:
            self.subscribers.append(handler)
        return handler

    def emit(self, **payload) -> None:
        if set(payload) != set(self.payload):
            raise TypeError(f"{self.name} carries {sorted(self.payload)}, not {sorted(payload)}")
        for handler in self.subscribers:
            handler(**payload)


DOSSIER_SUBMITTED = DomainEvent(
    "dossier.submitted", ("dossier",),
    "A draft became a dossier: numbered, its fee total set (dossiers.services.moves, the SUBMIT move).",
)
DOSSIER_MOVED = DomainEvent(
    "dossier.moved", ("dossier",),
    "A received dossier changed: a move of its status (submission included), of its fee, or its rating.",
)
DOSSIER_EDITED = DomainEvent(
    "dossier.edited", ("dossier",),
    "A citizen's draft was written: made, a step saved, a file added or removed, or the draft purged.",
)
PAYMENT_MOVED = DomainEvent(
    "payment.moved", ("payment_id", "dossier_id", "owner_id"),
    "A payment was opened or moved (paid, failed, expired, refunded), or a refund of it was asked or answered.",
)
CATALOGUE_CHANGED = DomainEvent(
    "catalogue.changed", (),
    "The public catalogue changed: a procedure, its papers, fees, channels or agencies, an agency, a field, a "
    "synonym. Emitted by each catalogue row's save and delete (procedures.models.CatalogueRow), and by the writers "
    "that go past them (the admin's many-to-many and bulk deletes, the imports, the receiving map, the demo data).",
)

CATALOGUE = (DOSSIER_SUBMITTED, DOSSIER_MOVED, DOSSIER_EDITED, PAYMENT_MOVED, CATALOGUE_CHANGED)
