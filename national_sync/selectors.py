"""Reads for the other apps: the service index's synced share (Decision 766, indicator 1.4)."""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier

from .constants import RecordState
from .models import OutboxRecord

# The cache counter of what the national portal confirmed (bumped by the comparison): pages showing the synced
# share are kept under it.
CONFIRMED_VERSION = "national-sync:confirmed"


def synced_counts(*, first: date, end: date, agency=None) -> dict[str, tuple[int, int]]:
    """{agency code: (dossiers synced, dossiers submitted)} for the dossiers submitted in [first, end).

    A dossier counts as synced when the national portal CONFIRMED its latest record (the comparison found it held
    there), not when it was sent: a record the national side answered and lost does not count. Empty when sync is
    off: the index then leaves the indicator out rather than score every agency zero."""
    if not settings.NATIONAL_SYNC_ENABLED:
        return {}
    zone = timezone.get_current_timezone()
    latest = OutboxRecord.objects.filter(dossier=OuterRef("pk")).order_by("-sequence")
    dossiers = Dossier.objects.filter(
        submitted_at__gte=datetime.combine(first, time.min, tzinfo=zone),
        submitted_at__lt=datetime.combine(end, time.min, tzinfo=zone),
    ).exclude(status=DossierStatus.DRAFT)
    if agency is not None:
        dossiers = dossiers.filter(agency=agency)
    rows = (
        dossiers.annotate(last_confirmed=Subquery(latest.values("confirmed_at")[:1]),
                          last_state=Subquery(latest.values("state")[:1]))
        .values("agency__code").order_by()
        .annotate(base=Count("pk"), synced=Count(
            "pk", filter=Q(last_confirmed__isnull=False, last_state=RecordState.DELIVERED)))
    )
    return {row["agency__code"]: (row["synced"], row["base"]) for row in rows}
