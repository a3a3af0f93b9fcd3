"""One POST per key: a repeated request (a retry after a dropped connection, a double click) gets the first
one's answer instead of doing the work again."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .constants import KeyState
from .models import IdempotencyKey

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """What to do with a request carrying a key: run it (`record` is ours to finish), answer the first
    request's redirect again (`location`), or say the first one is still running (`busy`) or that the key
    belongs to another form (`conflict`)."""

    record: IdempotencyKey | None = None
    location: str = ""
    busy: bool = False
    conflict: bool = False


def idempotency_claim(*, user, key: str, scope: str) -> Claim:
    """Take the key for this request, or tell what became of the request that took it first."""
    for _attempt in range(3):  # the first holder may release the key between our insert and our read
        now = timezone.now()
        try:
            with transaction.atomic():
                return Claim(record=IdempotencyKey.objects.create(user=user, key=key, scope=scope, claimed_at=now))
        except IntegrityError:
            pass
        held = IdempotencyKey.objects.filter(user=user, key=key).first()
        if held is None:
            continue
        if held.scope != scope:
            return Claim(conflict=True)
        if held.state == KeyState.DONE:
            return Claim(location=held.location)
        stale = now - timedelta(seconds=settings.IDEMPOTENCY_RUNNING_SECONDS)
        # A guarded update: of two requests finding the same dead attempt, one takes it over.
        if IdempotencyKey.objects.filter(pk=held.pk, claimed_at=held.claimed_at, claimed_at__lt=stale).update(
                claimed_at=now):
            logger.warning("idempotency key %s taken over from an attempt that never finished", key)
            held.claimed_at = now
            return Claim(record=held)
        return Claim(busy=True)
    return Claim(busy=True)


def idempotency_finish(*, record: IdempotencyKey, location: str) -> None:
    """Keep where the request sent the client: a repeat with the same key is sent there too."""
    IdempotencyKey.objects.filter(pk=record.pk, claimed_at=record.claimed_at).update(
        state=KeyState.DONE, location=location[:2000])


def idempotency_release(*, record: IdempotencyKey) -> None:
    """Free the key of a request that created nothing (a refused form, an error): a retry runs anew."""
    IdempotencyKey.objects.filter(pk=record.pk, claimed_at=record.claimed_at, state=KeyState.RUNNING).delete()


def idempotency_keys_purge(*, older_than: timedelta) -> int:
    """Delete the keys older than `older_than`; return how many."""
    return IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()[0]
