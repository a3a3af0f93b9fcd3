from django.db import models
from django.utils import timezone

from .constants import AccessKind


class AppendOnly(Exception):
    """An access record was about to be changed or deleted outside the retention prune."""


class AccessRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("access records are never changed")

    def delete(self):
        raise AppendOnly("access records are deleted only by audit.services.access_prune")


class AccessRecord(models.Model):
    """One opening of personal data by a staff account. Append-only.

    The actor is kept as its id and e-mail at the time, not as a foreign key: deleting an account
    must neither delete its trail nor rewrite it (SET NULL would be an update). On PostgreSQL a trigger
    (migration 0002) refuses UPDATE and DELETE too, except the prune's own transaction.
    """

    at = models.DateTimeField("lúc", default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField("mã cán bộ", null=True)
    actor_email = models.CharField("cán bộ", max_length=254)
    kind = models.CharField("đã mở", max_length=20, choices=AccessKind.choices)
    ref = models.CharField("đối tượng", max_length=64)
    path = models.CharField("địa chỉ trang", max_length=300, blank=True)
    client_ip = models.CharField("địa chỉ máy", max_length=45, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "lượt truy cập dữ liệu cá nhân"
        verbose_name_plural = "nhật ký truy cập dữ liệu cá nhân"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "ref"], name="audit_kind_ref")]

    def __str__(self):
        return f"{self.actor_email} — {self.get_kind_display()} {self.ref}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("access records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("access records are deleted only by audit.services.access_prune")
