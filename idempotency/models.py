from django.conf import settings
from django.db import models
from django.utils import timezone

from .constants import KeyState


class IdempotencyKey(models.Model):
    """A key a user sent with a POST that creates something, and where that POST sent them.

    The unique (user, key) row is the lock: the first request inserts it (committed at once) and does the work;
    a second one with the same key fails to insert, so it never does the work twice, whatever the timing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    # The path the key was first sent to: the same key sent elsewhere is a client's mistake, refused.
    scope = models.CharField(max_length=255)
    state = models.CharField(max_length=10, choices=KeyState.choices, default=KeyState.RUNNING)
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When the running attempt began: one older than IDEMPOTENCY_RUNNING_SECONDS died with its process.
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]

    def __str__(self):
        return f"{self.key} ({self.state})"
