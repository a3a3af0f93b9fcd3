"""Reads of the integration API: a client's dossiers, the changes feed, a dossier's files."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from dossiers.constants import DossierStatus
from dossiers.models import Dossier

from .models import ApiClient, DossierChange


def client_dossiers(*, client: ApiClient) -> QuerySet[Dossier]:
    """The submitted dossiers of the client's agencies: any other answers 404, as if it did not exist."""
    return (Dossier.objects.exclude(status=DossierStatus.DRAFT)
            .filter(agency_id__in=list(client.agencies.values_list("pk", flat=True)))
            .select_related("procedure", "agency"))


def client_dossier(*, client: ApiClient, code: str) -> Dossier:
    """One dossier of the client's agencies by its code; Dossier.DoesNotExist otherwise."""
    return client_dossiers(client=client).get(code=code)


@dataclass(frozen=True)
class Cursor:
    txid: int = 0
    seq: int = 0

    def __str__(self) -> str:
        return f"{self.txid}.{self.seq}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """"<txid>.<seq>" as the feed gave it; "" is the start. ValueError for anything else."""
        if not text:
            return cls()
        txid, _sep, seq = text.partition(".")
        cursor = cls(int(txid), int(seq))
        if cursor.txid < 0 or cursor.seq < 0 or len(text) > 41:
            raise ValueError(text)
        return cursor


@dataclass(frozen=True)
class ChangesPage:
    dossiers: list[Dossier]
    cursor: Cursor  # where the next call starts (the same when nothing was found)


def dossier_changes(*, client: ApiClient, after: Cursor, limit: int) -> ChangesPage:
    """The client's dossiers changed after the cursor, oldest change first.

    Only changes of transactions older than the oldest one still running are given (on PostgreSQL: the
    snapshot's xmin): a transaction still running may yet commit a change with a smaller (txid, seq), and a
    cursor past it would skip it. A dossier appears once a page, at its last change; changed again later, it
    appears again after the cursor.
    """
    agencies = list(client.agencies.values_list("pk", flat=True))
    rows = DossierChange.objects.filter(agency_id__in=agencies)
    if after.txid or after.seq:
        rows = rows.extra(where=["(txid, seq) > (%s, %s)"], params=[after.txid, after.seq])
    if connection.vendor == "postgresql":
        rows = rows.extra(where=["txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"])
    found = list(rows.order_by("txid", "seq").values_list("dossier_id", "txid", "seq")[:limit])
    if not found:
        return ChangesPage(dossiers=[], cursor=after)
    by_pk = Dossier.objects.select_related("procedure", "agency").in_bulk([pk for pk, _t, _s in found])
    return ChangesPage(dossiers=[by_pk[pk] for pk, _t, _s in found if pk in by_pk],
                       cursor=Cursor(found[-1][1], found[-1][2]))
