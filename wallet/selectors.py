"""Reads of the wallet: what a user may see (their own items and those shared with them), the offers for a
dossier's components, the share form's choices, and the reuse counts of indicator 4.3."""

from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from representation.selectors import representatives_of

from .kinds import kind_key
from .models import WalletItem, WalletShare, WalletUse


def items_visible_to(*, user) -> QuerySet[WalletItem]:
    """The owner's items and those shared with them and not revoked; nobody else's, staff included."""
    if not user.is_authenticated:
        return WalletItem.objects.none()
    shared = WalletShare.objects.filter(item=OuterRef("pk"), person=user, revoked_at__isnull=True)
    return WalletItem.objects.filter(Q(owner=user) | Q(Exists(shared))).select_related("kind", "blob", "owner")


def items_offered(*, user, components) -> dict[int, list[WalletItem]]:
    """{component pk: the user's items (own or shared) of the kind it asks, not expired, the issued results
    first}, components without any left out. One query for all the components: a procedure asks up to 30+."""
    keys = {c.pk: kind_key(c.name) for c in components}
    wanted = {key for key in keys.values() if key}
    if not wanted:
        return {}
    today = timezone.localdate()
    items = items_visible_to(user=user).filter(kind__key__in=wanted).exclude(expires_on__lt=today)
    by_kind: dict[str, list[WalletItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.origin != "issued", -i.created_at.timestamp())):
        by_kind[item.kind.key].append(item)
    return {pk: by_kind[key] for pk, key in keys.items() if key in by_kind}


def share_choices(*, user, items) -> dict[int, list]:
    """{own item pk: the user's representatives (authorisations in force) it is not shared with yet}: one-click
    choices beside the CCCD field; who may receive a share is wallet_share's rule, unchanged."""
    representatives = [p for p in representatives_of(principal=user) if p.identity_number]  # shared by CCCD
    if not representatives:
        return {}
    choices = {}
    for item in items:
        sharing = {s.person_id for s in item.shares.all() if s.revoked_at is None}
        choices[item.pk] = [p for p in representatives if p.pk not in sharing]
    return choices


def uses_of(dossier_files) -> dict[int, WalletUse]:
    """{dossier file pk: where it came from}, for the files that came from a wallet (the clerk's "from the
    wallet, issued by…"); one query for all the files."""
    pks = [f.pk for f in dossier_files]
    return {use.dossier_file_id: use for use in WalletUse.objects.filter(dossier_file_id__in=pks)} if pks else {}


def reused_by_agency(*, first: date, end: date, agency=None) -> dict[str, int]:
    """{agency code: dossiers received in [first, end) with at least one component filled from a wallet}."""
    from django.db.models import Count

    uses = WalletUse.objects.filter(dossier__received_at__date__gte=first, dossier__received_at__date__lt=end)
    if agency is not None:
        uses = uses.filter(dossier__agency=agency)
    rows = uses.values("dossier__agency__code").annotate(n=Count("dossier_id", distinct=True))
    return {row["dossier__agency__code"]: row["n"] for row in rows}
