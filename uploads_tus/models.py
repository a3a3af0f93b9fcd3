"""An upload in progress: its parts are objects in shared storage, the rows say which and how far it got."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import TusState


class TusUpload(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tus_uploads")
    # SET_NULL, not CASCADE: a draft or a component deleted meanwhile leaves the row, so the expiry sweep still
    # finds the parts in storage and deletes them (a cascade would drop the rows and orphan the objects).
    dossier = models.ForeignKey("dossiers.Dossier", null=True, on_delete=models.SET_NULL, related_name="tus_uploads")
    component = models.ForeignKey(
        "procedures.RequiredComponent", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    length = models.BigIntegerField(_("dung lượng"))
    offset = models.BigIntegerField(_("đã nhận"), default=0)
    state = models.CharField(max_length=12, choices=TusState.choices, default=TusState.RECEIVING)
    refusal = models.TextField(blank=True)
    stored_file = models.ForeignKey(
        "dossiers.DossierFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__gte=0) & Q(offset__lte=models.F("length")), name="tus_offset_within_length"
            ),
            models.CheckConstraint(condition=Q(length__gt=0), name="tus_length_positive"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.offset}/{self.length})"


class TusChunk(models.Model):
    """One PATCH's bytes, stored as its own object (object storage cannot append)."""

    upload = models.ForeignKey(TusUpload, on_delete=models.CASCADE, related_name="chunks")
    offset = models.BigIntegerField()
    size = models.BigIntegerField()
    name = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "offset"], name="tus_chunk_one_per_offset")]
        ordering = ["offset"]
