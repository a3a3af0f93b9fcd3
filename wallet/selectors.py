"""Reads of the wallet: what a user may see (their own items and those shared with them), the offers for a
dossier's component, and the reuse counts of indicator 4.3."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .kinds import kind_key
from .models import WalletItem, WalletShare, WalletUse


def items_visible_to(*, user) -> QuerySet[WalletItem]:
    """The owner's items and those shared with them and not revoked; nobody else's, staff included."""
    if not user.is_authenticated:
        return WalletItem.objects.none()
    shared = WalletShare.objects.filter(item=OuterRef("pk"), person=user, revoked_at__isnull=True)
    return WalletItem.objects.filter(Q(owner=user) | Q(Exists(shared))).select_related("kind", "blob", "owner")


def items_offered(*, user, component) -> list[WalletItem]:
    """The user's items (own or shared) of the kind a component asks, not expired, the issued results first."""
    key = kind_key(component.name)
    if not key:
        return []
    today = timezone.localdate()
    items = items_visible_to(user=user).filter(kind__key=key).exclude(expires_on__lt=today)
    return sorted(items, key=lambda i: (i.origin != "issued", -i.created_at.timestamp()))


def use_of(dossier_file) -> WalletUse | None:
    """Where a dossier's file came from, if from a wallet (the clerk's "from the wallet, issued by…")."""
    return WalletUse.objects.filter(dossier_file_id=dossier_file.pk).first()


def reused_by_agency(*, first: date, end: date, agency=None) -> dict[str, int]:
    """{agency code: dossiers received in [first, end) with at least one component filled from a wallet}."""
    from django.db.models import Count

    uses = WalletUse.objects.filter(dossier__received_at__date__gte=first, dossier__received_at__date__lt=end)
    if agency is not None:
        uses = uses.filter(dossier__agency=agency)
    rows = uses.values("dossier__agency__code").annotate(n=Count("dossier_id", distinct=True))
    return {row["dossier__agency__code"]: row["n"] for row in rows}
