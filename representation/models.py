import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import GrantState, MemberRole, Scope


def authorisation_document_path(instance, filename: str) -> str:
    # A random name: the stored key tells nothing about who authorised whom.
    return f"uy-quyen/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class Authorisation(models.Model):
    """A citizen (principal) lets another person (agent) act for them on the portal, for a time and a scope."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ủy quyền"),
                                  on_delete=models.PROTECT, related_name="authorisations_given")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người được ủy quyền"),
                              on_delete=models.PROTECT, related_name="authorisations_received")
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices)
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("thủ tục"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey("procedures.Field", verbose_name=_("lĩnh vực"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_until = models.DateField(_("hiệu lực đến ngày"))
    document = models.FileField(_("văn bản ủy quyền"), upload_to=authorisation_document_path, max_length=255)
    document_name = models.CharField(_("tên tệp"), max_length=255)
    document_type = models.CharField(_("loại tệp"), max_length=10)
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="authorisation_dates"),
            models.CheckConstraint(condition=~Q(principal=models.F("agent")), name="authorisation_not_self"),
            models.CheckConstraint(
                condition=(Q(scope=Scope.PROCEDURE, procedure__isnull=False, field__isnull=True)
                           | Q(scope=Scope.FIELD, field__isnull=False, procedure__isnull=True)
                           | Q(scope=Scope.ALL, field__isnull=True, procedure__isnull=True)),
                name="authorisation_scope",
            ),
        ]
        indexes = [models.Index(fields=["agent", "principal"])]

    def __str__(self):
        return f"{self.principal} → {self.agent}"

    def state(self, today=None) -> GrantState:
        today = today or timezone.localdate()
        if self.revoked_at is not None:
            return GrantState.REVOKED
        if today < self.valid_from:
            return GrantState.FUTURE
        if today > self.valid_until:
            return GrantState.EXPIRED
        return GrantState.VALID

    def scope_label(self) -> str:
        if self.scope == Scope.PROCEDURE:
            return f"{Scope.PROCEDURE.label}: {self.procedure.name}"
        if self.scope == Scope.FIELD:
            return f"{Scope.FIELD.label}: {self.field.name}"
        return str(Scope.ALL.label)


class Membership(models.Model):
    """A person working for an organisation's account; the organisation account itself administers them."""

    organisation = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tổ chức"), on_delete=models.CASCADE,
                                     related_name="members")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), on_delete=models.CASCADE,
                               related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=10, choices=MemberRole.choices)
    created_at = models.DateTimeField(_("thêm lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("thành viên tổ chức")
        verbose_name_plural = _("thành viên tổ chức")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "member"], name="membership_once"),
            models.CheckConstraint(condition=~Q(organisation=models.F("member")), name="membership_not_self"),
        ]

    def __str__(self):
        return f"{self.member} @ {self.organisation}"
