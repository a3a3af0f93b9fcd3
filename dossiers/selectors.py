"""Reads on dossiers: what a citizen, a clerk or the public may see."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.components import cases_of, components_for, mandatory_uploads, uploads_asked
from procedures.constants import Channel, ComponentRole, StaffRole
from procedures.models import AgencyStaff

from representation.selectors import authorisation_covering, membership_of, owner_access_q

from .calendar import add_working_days
from .constants import CLOCK_RUNNING, DossierStatus, FileKind
from .models import Dossier, DossierEvent, DossierFile, overdue_q


def dossiers_accessible(*, user, write: bool = False) -> QuerySet[Dossier]:
    """THE gate of a citizen's dossiers (their files, receipts and payments follow it): the user's own, their
    organisations' (viewers only to read), and those they made for a principal under an authorisation in force
    covering the procedure. A revoked, expired or not-yet-valid authorisation reaches nothing."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(Q(owner=user) | owner_access_q(user=user, write=write))


def dossier_access(*, user, dossier: Dossier, write: bool = False, lock: bool = False) -> bool:
    """May the user open (or, `write`, act on) this dossier now. `lock=True` inside a write (the dossier's row
    already locked): the authorisation or membership row is locked too, so a revocation racing the write either
    waits for it or is seen by it."""
    if not user.is_authenticated:
        return False
    if dossier.owner_id == user.pk:
        return True
    if lock:
        membership_of(user=user, organisation_id=dossier.owner_id, lock=True)
        authorisation_covering(agent=user, principal_id=dossier.owner_id, procedure=dossier.procedure, lock=True)
    return dossiers_accessible(user=user, write=write).filter(pk=dossier.pk).exists()


def dossier_list_for_owner(*, user, status: int | None = None, q: str = "", overdue: bool = False,
                           principal=None) -> QuerySet[Dossier]:
    """The dossiers of the account the user works for (drafts included), newest first: their own, or those of
    the principal they act for that the gate lets them see."""
    principal = principal or user
    qs = (dossiers_accessible(user=user).filter(owner=principal).select_related("procedure", "agency", "acted_by")
          .order_by("-created_at", "-pk"))
    if status is not None:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(procedure__name__icontains=q) | Q(procedure__code__icontains=q))
    if overdue:
        qs = qs.filter(overdue_q(timezone.localdate()))
    return qs


def dossier_get_for_owner(*, user, code: str, principal=None) -> Dossier:
    """One submitted dossier of the account the user works for (themselves, or the principal they chose to act
    for) that the gate lets them open; Dossier.DoesNotExist for anyone else's."""
    return (
        dossiers_accessible(user=user).select_related("procedure", "agency", "owner", "acted_by", "authorisation")
        .exclude(status=DossierStatus.DRAFT)
        .get(code=code, owner=principal or user)
    )


def dossier_draft_for_owner(*, user, uuid) -> Dossier:
    return (dossiers_accessible(user=user, write=True).select_related("procedure", "agency", "owner")
            .get(uuid=uuid))


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
    # The agencies as a list of ids (one small query), neither a join + DISTINCT (which reads every matching row
    # before the first page) nor a subquery: PostgreSQL cannot see through "agency_id IN (SELECT …)", guesses 2 %
    # of the table for an agency that holds a quarter of it, and then sorts hundreds of thousands of rows for a
    # page of 50 or counts them exactly instead of estimating (the clerk's list in the admin at a million rows).
    agencies = sorted(set(AgencyStaff.objects.filter(user=user).values_list("agency_id", flat=True)))
    return qs.filter(agency_id__in=agencies)


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
    dossier_file = DossierFile.objects.select_related("dossier__procedure").get(uuid=uuid)
    dossier = dossier_file.dossier
    if user.is_authenticated and dossier_staff_queryset(user=user).filter(pk=dossier.pk).exists():
        return dossier_file
    if dossier_access(user=user, dossier=dossier):
        if dossier_file.kind != FileKind.RESULT or dossier_result_visible(dossier=dossier):
            return dossier_file
    raise DossierFile.DoesNotExist


def dossier_result_visible(*, dossier: Dossier) -> bool:
    """The citizen may open the result files: the dossier is done and the result comes electronically, chosen
    so or promised by the procedure besides the paper copy sent by post or handed at the counter."""
    return dossier.status in (DossierStatus.DONE, DossierStatus.RETURNED) and dossier.electronic_result_promised


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


@dataclass(frozen=True)
class LookupAnswer:
    dossier: Dossier | None
    limited: bool = False  # too many attempts from this client, or too many wrong keys for this code


def dossier_lookup_limited(*, code: str, key: str, client: str) -> LookupAnswer:
    """The public lookup behind its rate limit, the same for the page and the API: attempts per client address,
    and wrong keys per code (DOSSIER_LOOKUP_*), both counted in DOSSIER_LOOKUP_WINDOW."""
    from django.conf import settings

    from common.ratelimit import rate_hit, rate_seen

    window = settings.DOSSIER_LOOKUP_WINDOW
    code = (code or "").strip()
    # The counter's key names the typed code by its digest: whatever is typed, the key is short and plain ASCII.
    code_key = "dossier-lookup:code:" + hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()
    ip_count = rate_hit(f"dossier-lookup:ip:{client}", window=window)
    code_failures = rate_seen(code_key)
    if ip_count > settings.DOSSIER_LOOKUP_LIMIT or code_failures >= settings.DOSSIER_LOOKUP_CODE_LIMIT:
        return LookupAnswer(dossier=None, limited=True)
    dossier = dossier_lookup(code=code, key=key)
    if dossier is None:
        rate_hit(code_key, window=window)
    return LookupAnswer(dossier=dossier)


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


# --- The clerk's work queue (admin index) -----------------------------------------------------------------------

R, P, AP = StaffRole.RECEIVE.value, StaffRole.PROCESS.value, StaffRole.APPROVE.value


@dataclass(frozen=True)
class QueueBucket:
    key: str
    label: str
    roles: frozenset  # the per-agency roles whose work this is
    condition: Callable[[date, date], Q]  # (today, two working days from today) -> filter


WORK_QUEUE = [
    QueueBucket("receive", _("Chờ tiếp nhận"), frozenset({R}), lambda today, soon: Q(status=DossierStatus.SUBMITTED)),
    QueueBucket(
        "progress", _("Đang xử lý"), frozenset({P, AP}),
        lambda today, soon: Q(status__in=[DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.WITHDRAWAL]),
    ),
    QueueBucket(
        "due_soon", _("Đến hạn trong 2 ngày làm việc"), frozenset({R, P, AP}),
        lambda today, soon: Q(status__in=CLOCK_RUNNING, due_date__gte=today, due_date__lte=soon),
    ),
    QueueBucket("overdue", _("Quá hạn"), frozenset({R, P, AP}), lambda today, soon: overdue_q(today)),
    QueueBucket(
        "citizen", _("Chờ công dân (bổ sung, nộp phí)"), frozenset({R, P}),
        lambda today, soon: Q(status__in=[DossierStatus.SUPPLEMENT, DossierStatus.PAYMENT]),
    ),
    QueueBucket("return", _("Chờ trả kết quả"), frozenset({R}), lambda today, soon: Q(status=DossierStatus.DONE)),
]
WORK_QUEUE_KEYS = {bucket.key: bucket for bucket in WORK_QUEUE}


def _queue_scope(*, user) -> dict[str, set[int]] | None:
    """Agencies per role of a staff account (one query); None for a superuser (every agency, every role)."""
    if user.is_superuser:
        return None
    scope: dict[str, set[int]] = {}
    for role, agency_id in user.agency_roles.values_list("role", "agency_id"):
        scope.setdefault(role, set()).add(agency_id)
    return scope


def _bucket_q(bucket: QueueBucket, scope, today: date, soon: date) -> Q | None:
    """The bucket's filter within the agencies where the user holds one of its roles; None if none."""
    condition = bucket.condition(today, soon)
    if scope is None:
        return condition
    agencies = set().union(*(scope.get(role, set()) for role in bucket.roles))
    return condition & Q(agency_id__in=agencies) if agencies else None


def _queue_dates() -> tuple[date, date]:
    today = timezone.localdate()
    return today, add_working_days(today, 2)


def work_queue_filter(*, user, key: str) -> Q | None:
    """The changelist filter of one bucket for this user (the same rule the count uses)."""
    bucket = WORK_QUEUE_KEYS.get(key)
    if bucket is None or not _staff_verified(user):
        return None
    return _bucket_q(bucket, _queue_scope(user=user), *_queue_dates())


def work_queue(*, user) -> list[dict]:
    """The buckets of the clerk's day that concern the user's roles, each with its count.

    A bounded number of queries whatever the number of dossiers: the user's roles, the calendar, one aggregate.
    """
    if not _staff_verified(user):
        return []
    scope = _queue_scope(user=user)
    today, soon = _queue_dates()
    filters = {bucket.key: _bucket_q(bucket, scope, today, soon) for bucket in WORK_QUEUE}
    filters = {key: q for key, q in filters.items() if q is not None}
    if not filters:
        return []
    counts = Dossier.objects.exclude(status=DossierStatus.DRAFT).aggregate(
        **{key: Count("pk", filter=q) for key, q in filters.items()}
    )
    return [{"key": b.key, "label": b.label, "count": counts[b.key]} for b in WORK_QUEUE if b.key in counts]


# --- What the dossier asks for (procedures.components is the rule; this applies it to one dossier) ----------


@dataclass
class Asked:
    """The procedure's components as they apply to one dossier: its case, its channel, the conditions ticked."""

    cases: list[str]  # the cases to choose from (empty when there is nothing to choose: none, or one alone)
    case: str  # the case in force ("" when the procedure has none, or the citizen has not chosen yet)
    components: list  # every component of that case and channel, in order, every role
    applies: set[int]  # the conditional components the citizen ticked
    numbers: dict[int, str]  # the numbers typed for papers shown at the counter
    uploads: list  # the components to upload (conditional ones only when ticked)
    mandatory: list  # the uploads that must have a file

    @property
    def case_missing(self) -> bool:
        """Several cases and none chosen (or the chosen one no longer exists after an import)."""
        return bool(self.cases) and not self.case

    @property
    def shown(self) -> list:
        """The papers to bring to the counter (shown, not uploaded), in order."""
        return [c for c in self.components if c.role == ComponentRole.SHOW]

    @property
    def upload_slots(self) -> list:
        """Every upload of the case, conditional ones too (their box decides whether they are asked), the papers
        every dossier needs first: the national tables put "Trường hợp…" lines anywhere in the list."""
        uploads = [c for c in self.components if c.role == ComponentRole.UPLOAD]
        return sorted(uploads, key=lambda c: bool(c.condition))

    @property
    def notes(self) -> list:
        return [c for c in self.components if c.role == ComponentRole.NOTE]

    @property
    def numbers_missing(self) -> list:
        """The required papers to show whose number the citizen must type online, and has not."""
        return [
            c for c in self.shown
            if c.asks_number and c.is_required and (not c.condition or c.pk in self.applies)
            and not self.numbers.get(c.pk)
        ]


def dossier_asked(*, dossier: Dossier, components=None) -> Asked:
    """Apply procedures.components to the dossier: its case, channel (online or counter) and answers."""
    components = list(dossier.procedure.components.all() if components is None else components)
    cases = cases_of(components)
    if len(cases) == 1:
        case = cases[0]  # one case named: nothing to choose
    else:
        case = dossier.case if dossier.case in cases else ""
    answers = dossier.component_answers or {}
    applies = {int(pk) for pk, answer in answers.items() if answer.get("applies")}
    numbers = {int(pk): answer["number"] for pk, answer in answers.items() if answer.get("number")}
    channel = Channel.ONLINE if dossier.is_online else Channel.COUNTER
    return Asked(
        cases=cases if len(cases) > 1 else [],
        case=case,
        components=components_for(components, case=case, channel=channel),
        applies=applies,
        numbers=numbers,
        uploads=uploads_asked(components, case=case, channel=channel, applies=applies),
        mandatory=mandatory_uploads(components, case=case, channel=channel, applies=applies),
    )


def dossier_component_summary(*, dossier: Dossier) -> dict:
    """What the dossier holds as its case asks it, for the review, the dossier page, the receipt and the admin:
    the case, the conditions and whether they apply, the uploads with their files, the papers to show with the
    numbers typed, and the files of components the case does not ask for (a case changed after uploading)."""
    asked = dossier_asked(dossier=dossier)
    files = list(dossier.files.filter(kind=FileKind.APPLICATION).select_related("component").order_by("id"))
    listed = {c.pk for c in asked.uploads}
    return {
        "case": asked.case,
        "conditions": [{"component": c, "applies": c.pk in asked.applies} for c in asked.components if c.condition],
        "uploads": [{"component": c, "files": [f for f in files if f.component_id == c.pk]} for c in asked.uploads],
        "shown": [
            {"component": c, "number": asked.numbers.get(c.pk, "")}
            for c in asked.shown if not c.condition or c.pk in asked.applies
        ],
        "other_files": [f for f in files if f.component_id not in listed],
        "files": files,  # all of them, for a page that reads something of each file at once (their wallet origin)
    }
