"""Writes on authorisations and memberships. Documents arrive already checked (type by content, size)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import AccountType

from .constants import MemberRole, Scope
from .models import Authorisation, Membership
from .selectors import user_by_identity


def authorisation_grant(
    *, principal, agent_identity: str, scope: str, procedure=None, field=None, valid_from: date, valid_until: date,
    document,
) -> Authorisation:
    """Let the holder of CCCD `agent_identity` act for `principal`; `document` is a dossiers.uploads.CheckedFile."""
    agent = user_by_identity(identity=agent_identity)
    if agent is None:
        raise ValidationError({"agent_identity": _("Không có tài khoản công dân nào với số CCCD này.")})
    if agent.pk == principal.pk:
        raise ValidationError({"agent_identity": _("Không thể tự ủy quyền cho chính mình.")})
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("Ngày hết hiệu lực phải sau ngày bắt đầu.")})
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("Ngày hết hiệu lực đã qua.")})
    if scope == Scope.PROCEDURE and procedure is None:
        raise ValidationError({"procedure": _("Vui lòng chọn thủ tục.")})
    if scope == Scope.FIELD and field is None:
        raise ValidationError({"field": _("Vui lòng chọn lĩnh vực.")})
    authorisation = Authorisation(
        principal=principal, agent=agent, scope=scope,
        procedure=procedure if scope == Scope.PROCEDURE else None, field=field if scope == Scope.FIELD else None,
        valid_from=valid_from, valid_until=valid_until,
        document_name=document.original_name, document_type=document.extension,
    )
    authorisation.document.save(document.original_name, File(document.upload), save=False)
    authorisation.save()
    return authorisation


def authorisation_revoke(*, authorisation: Authorisation, principal) -> Authorisation:
    """Revoke now. The row lock makes a representative's write in flight either finish first or see the revocation."""
    with transaction.atomic():
        locked = Authorisation.objects.select_for_update().get(pk=authorisation.pk, principal=principal)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


def membership_add(*, organisation, member_identity: str, role: str) -> Membership:
    """The organisation's administrator (its own account) adds a person by CCCD with a role."""
    if organisation.account_type != AccountType.ORGANISATION:
        raise ValidationError(_("Chỉ tài khoản tổ chức mới có thành viên."), code="not_organisation")
    member = user_by_identity(identity=member_identity)
    if member is None:
        raise ValidationError({"member_identity": _("Không có tài khoản công dân nào với số CCCD này.")})
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    try:
        with transaction.atomic():
            return Membership.objects.create(organisation=organisation, member=member, role=role)
    except IntegrityError:
        raise ValidationError({"member_identity": _("Người này đã là thành viên của tổ chức.")}) from None


def membership_end(*, membership_id: int, by) -> None:
    """Remove a member (by the organisation) or leave (by the member): from the next request on, nothing opens.

    The row is locked first, so a member's write in flight (which locks it too) finishes before or sees it gone.
    """
    with transaction.atomic():
        locked = Membership.objects.select_for_update().filter(pk=membership_id).first()
        if locked is None or by.pk not in (locked.organisation_id, locked.member_id):
            raise ValidationError(_("Không tìm thấy thành viên."), code="not_found")
        locked.delete()
