"""Send one notice of the SMS/Zalo outbox (notifications.models.Notice) through its channel's plugin.

The daily cap is checked again when the notice is sent, under a lock on the citizen's notice settings: a sender
claims the notice (SENDING, counted for its day) before the provider is called, so parallel senders of one
citizen's notices never claim more than NOTICE_DAILY_CAP in a day, whatever the queue held.
"""

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
        if notice.status not in (NoticeStatus.PENDING, NoticeStatus.FAILED):
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
        notice.save(update_fields=["status", "day", "attempts"])
    return notice


def _finish(notice: Notice, status: str, **fields) -> None:
    Notice.objects.filter(pk=notice.pk, status=NoticeStatus.SENDING).update(status=status, **fields)


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
