"""Send one notice of the SMS/Zalo outbox (notifications.models.Notice) through its channel's plugin.

The daily cap is checked again when the notice is sent, under a lock on the citizen's notice settings: a sender
claims the notice (SENDING, counted for its day) before the provider is called, so parallel senders of one
citizen's notices never claim more than NOTICE_DAILY_CAP in a day, whatever the queue held.

A sender that dies between the claim and the answer (worker killed, machine lost) leaves the notice SENDING; the
beat's sweep (notice_reclaim) takes it back after NOTICE_SENDING_LEASE and it is sent again with the same request
id, which the SMS gateway recognises (eSMS: CodeResult 124, the message already accepted), so the citizen gets one
SMS. Zalo's OA API takes no request id: a Zalo notice whose sender died after Zalo accepted it goes out twice,
the cost (as for an e-mail, notifications.sending) of never losing one.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from common.ratelimit import rate_allow

from .channels import Refused, Transient, channel_for
from .constants import CODE_MASK, NOTICE_COUNTED, NoticeKind, NoticeStatus
from .models import Notice, NoticeSettings


def _claim(notice_id: int) -> Notice | None:
    """Mark the notice SENDING for today, or CAPPED; None when there is nothing to send."""
    with transaction.atomic():
        user_id = Notice.objects.values_list("user_id", flat=True).get(pk=notice_id)
        # The citizen's row is the lock every sender of their notices takes first.
        NoticeSettings.objects.get_or_create(user_id=user_id)
        NoticeSettings.objects.select_for_update().get(user_id=user_id)
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.status not in (NoticeStatus.PENDING, NoticeStatus.FAILED):  # sent, capped, or another sender's
            return None
        today = timezone.localdate()
        if notice.kind == NoticeKind.STATUS:
            counted = Notice.objects.filter(user_id=user_id, channel=notice.channel, day=today, kind=NoticeKind.STATUS,
                                            status__in=NOTICE_COUNTED).count()
            if counted >= settings.NOTICE_DAILY_CAP:
                notice.status = NoticeStatus.CAPPED
                notice.save(update_fields=["status"])
                return None
        notice.status, notice.day, notice.attempts = NoticeStatus.SENDING, today, notice.attempts + 1
        notice.claimed_at = timezone.now()
        notice.save(update_fields=["status", "day", "attempts", "claimed_at"])
    return notice


def _finish(notice: Notice, status: str, **fields) -> None:
    Notice.objects.filter(pk=notice.pk, status=NoticeStatus.SENDING).update(status=status, **fields)


def notice_reclaim(*, lease: timedelta | None = None) -> list[int]:
    """Take back the notices left SENDING longer than `lease` (NOTICE_SENDING_LEASE): pending again, to be claimed
    anew (the daily cap counted as of today), or failed for good once claimed NOTICE_MAX_ATTEMPTS times. Return the
    ids to queue again.

    skip_locked: a notice a sender is claiming, or another sweep is taking back, is left to it; the guarded update
    in _finish makes a sweep that lost the race change nothing."""
    if lease is None:
        lease = timedelta(seconds=settings.NOTICE_SENDING_LEASE)
    again = []
    with transaction.atomic():
        stuck = (Notice.objects.select_for_update(skip_locked=True)
                 .filter(status=NoticeStatus.SENDING, claimed_at__lt=timezone.now() - lease).only("pk", "attempts"))
        for notice in stuck:
            if notice.attempts >= settings.NOTICE_MAX_ATTEMPTS:
                _finish(notice, NoticeStatus.FAILED, day=None,
                        last_error=f"given up: left sending by its sender {notice.attempts} times (worker stopped)")
            else:
                _finish(notice, NoticeStatus.PENDING, day=None,
                        last_error="left sending by its sender (worker stopped): sent again with the same request id")
                again.append(notice.pk)
    return again


def secret_key(notice_id: int) -> str:
    """Where a verification SMS's code waits for its sender (the cache, for the code's lifetime): never in the
    table, the broker's message or a log line of the task's arguments."""
    return f"notice-secret:{notice_id}"


def notice_send(*, notice_id: int) -> bool:
    """Send one notice unless it was sent (or held back by the cap). Return True if it was sent now.

    A provider over its rate (NOTICE_RATE_PER_MINUTE) or a transient failure raises Transient for the task to retry;
    a refusal marks the notice failed for good (the operator may send it again from the admin).
    A verification SMS's code is read from the cache (secret_key) and replaces the stored mask.
    """
    notice = Notice.objects.only("provider").get(pk=notice_id)
    minute = int(timezone.now().timestamp() // 60)
    if not rate_allow(f"notice-rate:{notice.provider}:{minute}", limit=settings.NOTICE_RATE_PER_MINUTE, window=60):
        raise Transient(f"{notice.provider}: over {settings.NOTICE_RATE_PER_MINUTE} messages a minute")
    notice = _claim(notice_id)
    if notice is None:
        return False
    text = notice.text
    if notice.kind == NoticeKind.CODE:
        secret = cache.get(secret_key(notice.pk))
        if not secret:  # expired (or the cache lost it): the citizen asks for a new code
            _finish(notice, NoticeStatus.FAILED, last_error="code expired before it was sent", day=None)
            return False
        text = text.replace(CODE_MASK, secret)
    try:
        sent = channel_for(notice.channel).send(recipient=notice.recipient, text=text, request_id=f"notice-{notice.pk}")
    except Refused as exc:
        _finish(notice, NoticeStatus.FAILED, last_error=str(exc)[:1000], day=None)
        return False
    except Transient as exc:
        _finish(notice, NoticeStatus.FAILED, last_error=str(exc)[:1000], day=None)
        raise
    except Exception as exc:  # a bug in a plugin: recorded, not left SENDING forever
        _finish(notice, NoticeStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:1000], day=None)
        raise
    cache.delete(secret_key(notice.pk))
    _finish(notice, NoticeStatus.SENT, provider_id=sent.provider_id[:100], sent_at=timezone.now(), last_error="")
    return True
