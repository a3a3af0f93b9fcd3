"""The draft a citizen fills in step by step (the applicant, the case and papers, the delivery), its submission,
and the purge of drafts left untouched."""

import logging
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.events import DOSSIER_EDITED
from procedures.components import cases_of
from procedures.models import Agency, Procedure
from procedures.receiving import receiving_agencies, receiving_agency_default
from procedures.services import procedure_popularity_record

from ..constants import (
    DossierAction,
    DossierStatus,
    FileKind,
    ResultMethod,
    SubmitMethod,
)
from ..models import Dossier, DossierFile
from ..selectors import dossier_asked, dossiers_accessible
from ..workflow import (
    MoveNotAllowed,
)
from .files import storage_delete_quietly
from .moves import dossier_move

logger = logging.getLogger(__name__)


# --- The draft and its files -------------------------------------------------------------------


def _profile_address(user) -> dict:
    """The address fields of a draft, from the account's profile (street and its 2025 units)."""
    return {
        "applicant_address": getattr(user, "street_address", "") or "",
        "applicant_province_code": getattr(user, "province_code", None),
        "applicant_commune_code": getattr(user, "commune_code", None),
    }


def dossier_draft_get_or_create(*, user, procedure: Procedure, principal=None) -> Dossier:
    """Return the open draft for the procedure, or start one prefilled from the profile.

    `principal` is the account the user acts for (representation): the draft is the principal's, made by the user,
    who needs an authorisation in force covering the procedure or a submitter's membership of the organisation.
    Two requests at once (a double click, a retry after a dropped connection) find the same draft: the
    account's row is locked while one looks and creates."""
    principal = principal or user
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=principal.pk).first()
        acted = _acting_check(user=user, principal=principal, procedure=procedure)
        draft = (Dossier.objects.filter(owner=principal, procedure=procedure, status=DossierStatus.DRAFT,
                                        acted_by=acted[0]).order_by("-pk").first())
        if draft is not None:
            return draft
        return _draft_create(user=principal, procedure=procedure, acted_by=acted[0], authorisation=acted[1])


def _acting_check(*, user, principal, procedure: Procedure) -> tuple:
    """(acted_by, authorisation) for a draft the user starts for the principal; refuse when nothing allows it."""
    from representation.selectors import authorisation_covering, membership_of
    from representation.constants import MemberRole

    if principal.pk == user.pk:
        return None, None
    membership = membership_of(user=user, organisation_id=principal.pk, lock=True)
    if membership is not None and membership.role == MemberRole.SUBMITTER:
        return user, None
    authorisation = authorisation_covering(agent=user, principal_id=principal.pk, procedure=procedure, lock=True)
    if authorisation is None:
        raise ValidationError(_("Bạn không được ủy quyền nộp hồ sơ thủ tục này cho %(name)s."),
                              params={"name": principal.full_name}, code="not_authorised")
    return user, authorisation


def _draft_create(*, user, procedure: Procedure, acted_by=None, authorisation=None) -> Dossier:
    # The citizen's own commune receives it when it can; step 1 lets them choose another receiving agency.
    agency = receiving_agency_default(agencies=receiving_agencies(procedure=procedure),
                                      commune_code=getattr(user, "commune_code", None))
    if agency is None:
        raise ValidationError(
            _("Thủ tục này chưa nhận hồ sơ trực tuyến trên Cổng: chưa có cơ quan nào của tỉnh tiếp nhận. Vui lòng "
              "nộp hồ sơ tại cơ quan thực hiện ghi trên trang thủ tục."),
            code="no_agency",
        )
    draft = Dossier.objects.create(
        owner=user,
        acted_by=acted_by,
        authorisation=authorisation,
        procedure=procedure,
        agency=agency,
        applicant_name=user.full_name,
        applicant_identity=user.identity_number or "",
        applicant_phone=user.phone,
        applicant_email=user.email,
        **_profile_address(user),
    )
    DOSSIER_EDITED.emit(dossier=draft)
    return draft


def _draft_touch(dossier: Dossier, *, step: int, fields: dict) -> Dossier:
    """Save wizard data on a draft (never on a submitted dossier) and record the step reached."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != DossierStatus.DRAFT:
            raise ValidationError(_("Hồ sơ đã được nộp, không thể sửa."), code="not_draft")
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.wizard_step = max(locked.wizard_step, step)
        locked.save(update_fields={"wizard_step", "updated_at", *fields})
        DOSSIER_EDITED.emit(dossier=locked)
    return locked


def dossier_applicant_update(
    *, dossier: Dossier, name: str, identity: str, phone: str, email: str, address: str, agency: Agency | None = None,
    province_code: int | None = None, commune_code: int | None = None,
) -> Dossier:
    """Step 1: who the dossier is for (the account holder or someone they submit for), and where they live."""
    from accounts.selectors import commune_choices

    if province_code is not None and commune_code not in dict(commune_choices(province_code=province_code)):
        raise ValidationError(_("Xã, phường không thuộc tỉnh, thành phố đã chọn."), code="commune")
    owner = dossier.owner
    fields = {
        "applicant_province_code": province_code,
        "applicant_commune_code": commune_code,
        "applicant_name": name,
        "applicant_identity": identity,
        "applicant_phone": phone,
        "applicant_email": email,
        "applicant_address": address,
        "on_behalf": (identity or "") != (owner.identity_number or "") or name.strip() != owner.full_name.strip(),
    }
    if agency is not None:
        if not dossier.procedure.agencies.filter(pk=agency.pk).exists():
            raise ValidationError(_("Cơ quan không thực hiện thủ tục này."), code="agency")
        fields["agency"] = agency
    return _draft_touch(dossier, step=1, fields=fields)


def dossier_delivery_update(
    *, dossier: Dossier, submit_method: str, submit_address: str, result_method: str, result_address: str
) -> Dossier:
    """Step 3: how the paper dossier is handed in and how the result comes back."""
    if result_method == ResultMethod.ELECTRONIC and not dossier.procedure.is_fully_online:
        raise ValidationError(_("Thủ tục mức độ 3 không trả kết quả điện tử."), code="result_method")
    return _draft_touch(
        dossier,
        step=3,
        fields={
            "submit_method": submit_method,
            "submit_address": submit_address if submit_method == SubmitMethod.POST else "",
            "result_method": result_method,
            "result_address": result_address if result_method == ResultMethod.POST else "",
        },
    )


PASSPORT_NUMBER = re.compile(r"[A-Z][0-9]{7,8}")


def dossier_case_set(*, dossier: Dossier, case: str) -> Dossier:
    """Step 2: the case (trường hợp) of the procedure that applies to the citizen.

    Files and answers given for another case stay on the draft (a change of mind loses nothing); they are simply
    no longer asked for."""
    cases = cases_of(dossier.procedure.components.all())
    if case not in cases:
        raise ValidationError(_("Vui lòng chọn một trường hợp trong danh sách."), code="case")
    return _draft_touch(dossier, step=1, fields={"case": case})


def identity_number_clean(value: str) -> str:
    """The number of the identity paper shown at the counter, as typed: the personal identification number (số
    định danh cá nhân, on the CCCD: 12 digits, spaces and dots allowed between them) or a passport's number (a
    letter and 7 or 8 digits: the national text lists "Hộ chiếu/Thẻ căn cước…" as one paper)."""
    typed = "".join(ch for ch in value if ch not in " .-").upper()
    if (len(typed) == 12 and typed.isdigit()) or PASSPORT_NUMBER.fullmatch(typed):
        return typed
    raise ValidationError(_("Nhập số định danh cá nhân (12 chữ số) hoặc số hộ chiếu (một chữ cái và 7 hoặc 8 chữ số)."),
                          code="number")


def dossier_component_answers_update(*, dossier: Dossier, applies: dict | None = None,
                                     numbers: dict | None = None) -> Dossier:
    """Step 2: whether each conditional component applies to the citizen, and the numbers of papers to show.

    `applies` maps a component id to True/False, `numbers` a component id to the number typed ("" clears it).
    Answers for components not named are kept (another case's stay for when the citizen comes back to it).
    Every number is checked first; a ValidationError keyed by component id refuses the whole answer unsaved.
    """
    applies, numbers = applies or {}, numbers or {}
    components = {c.pk: c for c in dossier.procedure.components.all()}
    if set(applies) - set(components) or set(numbers) - set(components):
        raise ValidationError(_("Thành phần không thuộc thủ tục của hồ sơ."), code="component")
    errors, cleaned = {}, {}
    for pk, number in numbers.items():
        number = (number or "").strip()
        if not components[pk].asks_number:
            errors[str(pk)] = [_("Giấy tờ này không cần nhập số.")]
        elif number:
            try:
                cleaned[pk] = identity_number_clean(number)
            except ValidationError as exc:
                errors[str(pk)] = exc.messages
        else:
            cleaned[pk] = ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        answers = {pk: dict(answer) for pk, answer in (locked.component_answers or {}).items()}
        for pk, value in applies.items():
            answers.setdefault(str(pk), {})["applies"] = bool(value)
        for pk, value in cleaned.items():
            answers.setdefault(str(pk), {})["number"] = value
        return _draft_touch(locked, step=1, fields={"component_answers": answers})


def dossier_files_complete(*, dossier: Dossier) -> list:
    """Return the components the dossier still lacks (empty when complete): mandatory uploads of its case with
    no file, conditional ones only when ticked, and required papers to show whose number is not typed.

    One query: the procedure's components, each marked with whether the dossier holds a file for it."""
    return _asked_with_files(dossier)[1]


def _asked_with_files(dossier: Dossier):
    has_file = DossierFile.objects.filter(dossier=dossier, kind=FileKind.APPLICATION, component=OuterRef("pk"))
    components = dossier.procedure.components.annotate(has_file=Exists(has_file))
    asked = dossier_asked(dossier=dossier, components=components)
    return asked, [c for c in asked.mandatory if not c.has_file] + asked.numbers_missing


def dossier_files_step_done(*, dossier: Dossier) -> Dossier:
    """Leave step 2: a case chosen (when there are several) and nothing mandatory missing."""
    asked, missing = _asked_with_files(dossier)
    if asked.case_missing:
        raise ValidationError(_("Vui lòng chọn trường hợp của bạn."), code="case")
    if missing:
        raise ValidationError(
            ngettext("Còn thiếu %(n)s giấy tờ bắt buộc.", "Còn thiếu %(n)s giấy tờ bắt buộc.", len(missing)),
            params={"n": len(missing)}, code="missing",
        )
    return _draft_touch(dossier, step=2, fields={})


def dossier_submit(*, dossier: Dossier, user) -> Dossier:
    """Submit a draft. A second press (or a second tab) returns the dossier already submitted."""
    try:
        # One transaction, one row lock: the move checks the draft is complete while it holds the lock.
        submitted = dossier_move(dossier=dossier, action=DossierAction.SUBMIT, actor=user, guard=_ready_to_submit)
    except MoveNotAllowed:  # not a draft any more, or not the owner's
        submitted = dossiers_accessible(user=user).filter(pk=dossier.pk).exclude(status=DossierStatus.DRAFT).first()
        if submitted is None:
            raise ValidationError(_("Không tìm thấy hồ sơ."), code="owner") from None
        return submitted
    # The catalogue ranks what citizens submit most first; a second press above is not counted.
    procedure_popularity_record(procedure_id=submitted.procedure_id)
    return submitted


def _ready_to_submit(locked: Dossier) -> None:
    asked, missing = _asked_with_files(locked)
    if locked.wizard_step < 3 or asked.case_missing or missing:
        raise ValidationError(_("Hồ sơ chưa đủ thông tin, vui lòng hoàn thành các bước trước."), code="incomplete")


def dossier_drafts_purge(*, older_than: timedelta, batch_size: int = 200) -> tuple[int, int]:
    """Delete drafts untouched for longer than `older_than`, with their stored files, in batches.

    Return (drafts, files) deleted. "Untouched" means neither the draft nor any of its files
    changed since the cutoff (adding a file does not touch the draft row). Each batch locks its
    rows and skips those a citizen is saving right now; the files leave storage after commit.
    """
    cutoff = timezone.now() - older_than
    stale = Dossier.objects.filter(status=DossierStatus.DRAFT, updated_at__lt=cutoff).exclude(
        files__created_at__gte=cutoff
    )
    drafts = files = 0
    while True:
        with transaction.atomic():
            pks = list(stale.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            names = list(DossierFile.objects.filter(dossier__in=pks).values_list("file", flat=True))
            doomed = list(Dossier.objects.filter(pk__in=pks).only("pk", "owner_id"))
            deleted = Dossier.objects.filter(pk__in=pks, status=DossierStatus.DRAFT).delete()[1].get(Dossier._meta.label, 0)
            for draft in doomed:
                DOSSIER_EDITED.emit(dossier=draft)
            transaction.on_commit(lambda names=names: storage_delete_quietly(names))
        drafts += deleted
        files += len(names)
        logger.info("deleted %d abandoned drafts and %d files (batch)", deleted, len(names))
    logger.info("draft clean-up done: %d drafts and %d files older than %s deleted", drafts, files, cutoff.date())
    return drafts, files
