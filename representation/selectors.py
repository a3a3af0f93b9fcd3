"""Reads on authorisations and memberships: may user U act for account V on procedure P today?

Dossiers ask these (dossiers.selectors.dossiers_accessible is the one gate of every dossier, file, receipt and
payment); nothing here knows a dossier.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.constants import AccountType

from .constants import MemberRole, Scope
from .models import Authorisation, Membership


def authorisations_valid(*, agent, today=None) -> QuerySet[Authorisation]:
    """The agent's authorisations in force today: not revoked, between their first and last day."""
    today = today or timezone.localdate()
    return Authorisation.objects.filter(agent=agent, revoked_at__isnull=True, valid_from__lte=today,
                                        valid_until__gte=today)


def representatives_of(*, principal, today=None) -> QuerySet:
    """The active accounts the principal has authorised, with an authorisation in force today, by name."""
    today = today or timezone.localdate()
    in_force = Authorisation.objects.filter(principal=principal, agent=OuterRef("pk"), revoked_at__isnull=True,
                                            valid_from__lte=today, valid_until__gte=today)
    return get_user_model().objects.filter(Exists(in_force), is_active=True).order_by("full_name", "pk")


def authorisation_covering(*, agent, principal_id: int, procedure, lock: bool = False) -> Authorisation | None:
    """The authorisation in force that lets `agent` act for the principal on `procedure`, or None.

    `lock=True` (inside a write) locks the authorisation rows, so a revocation waits for the write or the write
    sees the revocation: a request in flight when the principal revokes does nothing.
    """
    rows = authorisations_valid(agent=agent).filter(principal_id=principal_id).order_by("pk")
    if lock:
        rows = rows.select_for_update()
    for authorisation in rows:
        if (authorisation.scope == Scope.ALL
                or (authorisation.scope == Scope.PROCEDURE and authorisation.procedure_id == procedure.pk)
                or (authorisation.scope == Scope.FIELD and authorisation.field_id == procedure.field_id)):
            return authorisation
    return None


def membership_of(*, user, organisation_id: int, lock: bool = False) -> Membership | None:
    rows = Membership.objects.filter(member=user, organisation_id=organisation_id)
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def organisations_of(*, user, write: bool = False) -> QuerySet[Membership]:
    rows = Membership.objects.filter(member=user)
    return rows.filter(role=MemberRole.SUBMITTER) if write else rows


@dataclass(frozen=True)
class Principal:
    """An account the user may choose to act for, and why."""

    user: object
    organisation: bool
    role: str = ""


def principals_for(*, user) -> list[Principal]:
    """Whom the user may act for now: people with an authorisation in force, organisations they belong to."""
    if not user.is_authenticated:
        return []
    found: dict[int, Principal] = {}
    for authorisation in authorisations_valid(agent=user).select_related("principal").order_by("principal__full_name"):
        found.setdefault(authorisation.principal_id, Principal(authorisation.principal, organisation=False))
    for membership in Membership.objects.filter(member=user).select_related("organisation").order_by("pk"):
        found[membership.organisation_id] = Principal(membership.organisation, organisation=True, role=membership.role)
    return list(found.values())


def principal_allowed(*, user, principal_id) -> object | None:
    """The account `principal_id` when the user may act for it now (any scope), else None."""
    for principal in principals_for(user=user):
        if principal.user.pk == principal_id:
            return principal.user
    return None


def owner_access_q(*, user, write: bool = False, prefix: str = "") -> Q:
    """Which dossiers (by owner, procedure and who acted) the user reaches besides their own, as one filter
    (subqueries, no query of its own: the citizen's pages keep their query budget).

    An organisation's members reach all its dossiers (viewers only to read); a representative reaches the dossiers
    they made for the principal, while an authorisation covering the procedure is in force.
    """
    today = timezone.localdate()
    organisations = organisations_of(user=user, write=write).values("organisation_id")
    covering = Authorisation.objects.filter(
        Q(scope=Scope.ALL) | Q(scope=Scope.PROCEDURE, procedure_id=OuterRef(f"{prefix}procedure_id"))
        | Q(scope=Scope.FIELD, field_id=OuterRef(f"{prefix}procedure__field_id")),
        agent=user, principal_id=OuterRef(f"{prefix}owner_id"), revoked_at__isnull=True, valid_from__lte=today,
        valid_until__gte=today,
    )
    return (Q(**{f"{prefix}owner_id__in": organisations})
            | (Q(**{f"{prefix}acted_by": user}) & Exists(covering)))


def user_by_identity(*, identity: str):
    """The active individual account with this CCCD, or None."""
    return (get_user_model().objects.filter(identity_number=(identity or "").strip(), is_active=True,
                                            account_type=AccountType.INDIVIDUAL).first())
