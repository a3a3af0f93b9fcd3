"""Reads on dossiers: what a citizen, a clerk or the public may see."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from .constants import DossierStatus, FileKind, ResultMethod
from .models import Dossier, DossierEvent, DossierFile, overdue_q


def dossier_list_for_owner(*, user, status: int | None = None, q: str = "", overdue: bool = False) -> QuerySet[Dossier]:
    """The citizen's dossiers (drafts included), newest first."""
    qs = Dossier.objects.filter(owner=user).select_related("procedure", "agency").order_by("-created_at", "-pk")
    if status is not None:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(procedure__name__icontains=q) | Q(procedure__code__icontains=q))
    if overdue:
        qs = qs.filter(overdue_q(timezone.localdate()))
    return qs


def dossier_get_for_owner(*, user, code: str) -> Dossier:
    """One submitted dossier of the citizen; Dossier.DoesNotExist for anyone else's."""
    return (
        Dossier.objects.select_related("procedure", "agency", "owner")
        .exclude(status=DossierStatus.DRAFT)
        .get(owner=user, code=code)
    )


def dossier_draft_for_owner(*, user, uuid) -> Dossier:
    return Dossier.objects.select_related("procedure", "agency", "owner").get(owner=user, uuid=uuid)


def _staff_verified(user) -> bool:
    """Staff see citizens' dossiers only in a session that passed the second factor (django-otp)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_active and user.is_staff and callable(is_verified) and is_verified())


def dossier_agency_queryset(*, user) -> QuerySet[Dossier]:
    """Submitted dossiers of the agencies the staff account works for, whatever its role there (all for a
    superuser): the scope of their payments, which the accountant sees without seeing the dossiers."""
    qs = Dossier.objects.exclude(status=DossierStatus.DRAFT)
    if not _staff_verified(user):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(agency__staff__user=user).distinct()


def dossier_staff_queryset(*, user) -> QuerySet[Dossier]:
    """Submitted dossiers a staff account may see: its agencies' (all for a superuser).

    Only the roles that work on dossiers (accounts.roles: view_dossier) see them: an accountant of the
    same agency sees its payments, not the applicants' dossiers and files.
    """
    if not (user.is_superuser or user.has_perm("dossiers.view_dossier")):
        return Dossier.objects.none()
    return dossier_agency_queryset(user=user)


def dossier_emails(*, dossier: Dossier):
    """The e-mails about a dossier (recipient, subject, state, error; never the body), newest first."""
    from notifications.models import Email

    if not dossier.code:
        return Email.objects.none()
    return (
        Email.objects.filter(reference=dossier.code)
        .only("to", "subject", "status", "last_error", "created_at", "sent_at")
        .order_by("-created_at")
    )


def dossier_file_for_user(*, user, uuid) -> DossierFile:
    """A file the user may download: the owner's own files (results only when delivered
    electronically and done), or any file of a dossier of the staff member's agency."""
    dossier_file = DossierFile.objects.select_related("dossier").get(uuid=uuid)
    dossier = dossier_file.dossier
    if user.is_authenticated and dossier_staff_queryset(user=user).filter(pk=dossier.pk).exists():
        return dossier_file
    if user.is_authenticated and dossier.owner_id == user.pk:
        if dossier_file.kind != FileKind.RESULT:
            return dossier_file
        if dossier.result_method == ResultMethod.ELECTRONIC and dossier.status in (
            DossierStatus.DONE,
            DossierStatus.RETURNED,
        ):
            return dossier_file
    raise DossierFile.DoesNotExist


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor").prefetch_related("files").order_by("created_at", "id")


def dossier_lookup(*, code: str, key: str) -> Dossier | None:
    """The public lookup: the dossier only when the code and its lookup key both match."""
    code, key = (code or "").strip(), (key or "").strip().upper()
    if not code or not key:
        return None
    dossier = (
        Dossier.objects.select_related("procedure", "agency")
        .exclude(status=DossierStatus.DRAFT)
        .filter(code=code)
        .first()
    )
    if dossier is None or not _same(dossier.lookup_key, key):
        return None
    return dossier


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())
