"""A citizen's wallet of papers (Kho dữ liệu cá nhân): results the portal issued and papers they chose to keep.

A paper's bytes are a Blob, stored once (content-addressed) and referenced by the wallet items and by the dossier
files attached from them; a blob goes only when nothing references it (services.blob_release)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    ISSUED = "issued", _("Kết quả do cơ quan cấp qua Cổng")
    KEPT = "kept", _("Công dân tự lưu")


class DocumentKind(models.Model):
    """One kind of paper, keyed by its folded name (kinds.kind_key): what a component asks and a result is."""

    key = models.CharField(max_length=120, unique=True)
    name = models.CharField(_("loại giấy tờ"), max_length=500)

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")

    def __str__(self):
        return self.name


class Blob(models.Model):
    """Stored bytes, once per content: under blobs/ (the wallet's own), or a returned dossier's result file,
    which the dossier keeps for ever and the wallet only points at (owned=False)."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255, unique=True)
    size = models.PositiveBigIntegerField()
    owned = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class WalletItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_items")
    origin = models.CharField(_("nguồn"), max_length=10, choices=Origin.choices)
    kind = models.ForeignKey(DocumentKind, verbose_name=_("loại giấy tờ"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tên giấy tờ"), max_length=255)
    issuer = models.CharField(_("cơ quan cấp"), max_length=255, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True, db_index=True)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="items")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file_type = models.CharField(_("định dạng"), max_length=10)
    # The returned dossier and its result file this item came from (issued items): its signature check is theirs.
    source_dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_file = models.OneToOneField(
        "dossiers.DossierFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uses = models.PositiveIntegerField(_("số lần dùng lại"), default=0)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho")
        verbose_name_plural = _("giấy tờ trong kho")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("wallet:download", args=[self.uuid])

    @property
    def size(self) -> int:
        return self.blob.size

    @property
    def signature_check(self):
        return self.source_file.signature_check if self.source_file_id else None


class ResultDelivered(models.Model):
    """A returned dossier's result file once put into its owner's wallet: never put in again (the dossier moves
    on after the return, rated for one, and an item the citizen deleted must not come back)."""

    source_file = models.OneToOneField("dossiers.DossierFile", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class WalletShare(models.Model):
    """An item shared with another account (found by its CCCD), until revoked: it may see and use the item."""

    item = models.ForeignKey(WalletItem, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_shared")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"], condition=models.Q(revoked_at__isnull=True), name="wallet_share_active_once"
            )
        ]


class WalletUse(models.Model):
    """One reuse: a wallet item attached to a dossier's component. Kept with the dossier's file even when the
    item is deleted (the origin is copied), so the clerk and indicator 4.3 of Decision 766 still see it."""

    item = models.ForeignKey(WalletItem, null=True, on_delete=models.SET_NULL, related_name="used_in")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    dossier_file = models.OneToOneField("dossiers.DossierFile", on_delete=models.CASCADE, related_name="wallet_use")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    issuer = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
