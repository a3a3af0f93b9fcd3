"""Reads of the payments app: what a dossier owes, a citizen's transactions."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.selectors import dossiers_accessible
from procedures.constants import FeeKind

from .models import DossierFeeLine, Payment


@dataclass(frozen=True)
class FeeLine:
    kind_label: str
    name: str
    amount: int


def dossier_fee_lines(*, dossier: Dossier) -> list[FeeLine]:
    """The fee items fixed at submission; a dossier submitted before the snapshot existed shows its total."""
    # The kind's label stays lazy: the receipt prints it in Vietnamese and in the reader's language.
    lines = [FeeLine(FeeKind(line.kind).label, line.name, line.amount)
             for line in DossierFeeLine.objects.filter(dossier=dossier)]
    if lines or not dossier.fee_total:
        return lines
    return [FeeLine(FeeKind.CHARGE.label, _("Phí, lệ phí theo thủ tục"), dossier.fee_total)]


def transactions_for_user(*, user, principal=None) -> QuerySet[Dossier]:
    """The submitted dossiers that carry a fee of the account the user works for (themselves or the principal they
    act for, through the dossiers' gate), each with its payment attempts (newest first)."""
    return (
        dossiers_accessible(user=user).filter(owner=principal or user, fee_total__gt=0)
        .exclude(status=DossierStatus.DRAFT)
        .select_related("procedure", "agency")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.select_related("receipt_series")
                                   .prefetch_related("refunds").order_by("-created_at", "-id")))
        .order_by("-submitted_at", "-id")
    )


def payment_for_owner(*, user, reference: str) -> Payment:
    """A payment of one of the user's dossiers (DoesNotExist otherwise)."""
    return Payment.objects.select_related("dossier__agency", "dossier__procedure", "receipt_series").get(
        reference=reference, dossier__in=dossiers_accessible(user=user))
