from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Scope


class ApiClient(models.Model):
    """An agency's sector software calling /api/v1/ with its own key.

    Only the key's public id and the SHA-256 of its secret are stored: the secret is shown once, when the
    operator issues or rotates it. A random 256-bit secret needs no slow hash (nothing to guess from a
    dictionary), and every call checks it. The client acts as `account`, a staff account of its agency:
    a move is checked against the workflow table with that account's roles there (dossiers.workflow),
    and the access audit names that account.
    """

    name = models.CharField(_("tên hệ thống"), max_length=200)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản cán bộ đại diện"), on_delete=models.PROTECT,
        related_name="api_clients", limit_choices_to={"is_staff": True},
        help_text=_("Tài khoản cán bộ của cơ quan: hồ sơ được chuyển bước với vai trò của tài khoản này."),
    )
    agencies = models.ManyToManyField("procedures.Agency", verbose_name=_("cơ quan"), related_name="api_clients")
    scope = models.CharField(_("quyền"), max_length=10, choices=Scope.choices, default=Scope.READ)
    rate_limit = models.PositiveIntegerField(_("số lượt gọi tối đa mỗi phút"), default=120)
    key_id = models.CharField(_("mã khóa"), max_length=24, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    rotated_at = models.DateTimeField(_("đổi khóa lúc"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("gọi gần nhất"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("hệ thống kết nối API")
        verbose_name_plural = _("hệ thống kết nối API")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class DossierChange(models.Model):
    """Where a dossier stands in the feed of changes: one row a dossier, moved to the end by each change.

    `txid` is the PostgreSQL transaction that made the last change (pg_current_xact_id) and `seq` a number
    from a sequence taken in it. The feed returns only rows of transactions older than every transaction still
    running (the snapshot's xmin), in (txid, seq) order: no transaction below that point can still write, so a
    cursor that passed a row can never have a row appear behind it (api.selectors.dossier_changes).
    """

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="+", primary_key=True)
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    txid = models.BigIntegerField()
    seq = models.BigIntegerField()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["agency", "txid", "seq"], name="api_change_feed")]
