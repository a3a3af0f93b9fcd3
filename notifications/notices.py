"""Notices by SMS and Zalo (issue 30 §3): the citizen's choice, the phone's verification, and the outbox's one
write path (notice_queue). notifications.notice_sending sends what is queued here."""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.ratelimit import rate_allow

from .channels import Refused, Transient, channel_for
from .constants import NOTICE_COUNTED, NoticeChannel, NoticeKind, NoticeStatus
from .models import Notice, NoticeSettings, PhoneCode
from .notice_sending import secret_key
from .notice_text import code_text, status_text
from .tasks import notice_enqueue

PHONE = re.compile(r"^0[35789]\d{8}$")  # a Vietnamese mobile number, 10 digits


def channels_on() -> list[str]:
    """The channels the portal offers (NOTICE_CHANNELS), in a fixed order."""
    return [c for c in NoticeChannel.values if c in settings.NOTICE_CHANNELS]


def phone_normalise(value: str) -> str:
    """"+84 912 345 678" → "0912345678"; ValidationError for what is not a Vietnamese mobile number."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    digits = re.sub(r"^(\+?84)", "0", digits)
    if not PHONE.match(digits):
        raise ValidationError(_("Nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912345678."))
    return digits


def notice_settings_of(*, user) -> NoticeSettings:
    return NoticeSettings.objects.filter(user=user).first() or NoticeSettings(user=user)


def _queue(*, user, channel: str, recipient: str, text: str, kind: str, reference: str = "", secret: str = ""):
    status = NoticeStatus.PENDING
    if kind == NoticeKind.STATUS:  # held back at once when the day's cap is reached (checked again when sent)
        counted = Notice.objects.filter(user=user, channel=channel, kind=kind, day=timezone.localdate(),
                                        status__in=NOTICE_COUNTED).count()
        status = NoticeStatus.CAPPED if counted >= settings.NOTICE_DAILY_CAP else status
    notice = Notice.objects.create(user=user, channel=channel, provider=settings.NOTICE_PROVIDERS[channel],
                                   kind=kind, recipient=recipient, text=text, reference=reference[:64], status=status)
    if secret:
        cache.set(secret_key(notice.pk), secret, timeout=settings.NOTICE_CODE_TTL)
    if status == NoticeStatus.PENDING:
        transaction.on_commit(partial(notice_enqueue, notice.pk))
    return notice


def notice_queue(*, user, reference: str, status, path: str) -> list[Notice]:
    """Queue a status notice on each channel the citizen chose; each leaves after commit.

    `status` is the new status's label (lazy: rendered in the citizen's language); `path` the dossier's page.
    Nothing else of the citizen or the dossier goes into the text.
    """
    chosen = notice_settings_of(user=user)
    if not chosen.phone_verified_at:
        return []
    link = settings.SITE_URL.rstrip("/") + path
    notices = []
    for channel in channels_on():
        recipient = chosen.phone if channel == NoticeChannel.SMS else chosen.zalo_user_id
        if getattr(chosen, channel) and recipient:
            text = status_text(channel=channel, language=user.language, reference=reference, status=status, link=link)
            notices.append(_queue(user=user, channel=channel, recipient=recipient, text=text,
                                  kind=NoticeKind.STATUS, reference=reference))
    return notices


def _code_hash(*, user_id: int, phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"notice-code:{user_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def notice_code_send(*, user, phone: str) -> PhoneCode:
    """Send a 6-digit code by SMS to `phone`; the code is kept hashed. Rate limited per account and per number."""
    phone = phone_normalise(phone)
    hour = int(timezone.now().timestamp() // 3600)
    limit = settings.NOTICE_CODE_SENDS_PER_HOUR
    if not (rate_allow(f"notice-code:user:{user.pk}:{hour}", limit=limit, window=3600)
            and rate_allow(f"notice-code:phone:{phone}:{hour}", limit=limit, window=3600)):
        raise ValidationError(_("Đã gửi mã quá nhiều lần. Vui lòng thử lại sau một giờ."))
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)  # one live code at a time
        sent = PhoneCode.objects.create(user=user, phone=phone, code_hash=_code_hash(user_id=user.pk, phone=phone,
                                                                                       code=code),
                                        expires_at=now + timedelta(seconds=settings.NOTICE_CODE_TTL))
        text = code_text(language=user.language, minutes=max(1, settings.NOTICE_CODE_TTL // 60))
        _queue(user=user, channel=NoticeChannel.SMS, recipient=phone, text=text, kind=NoticeKind.CODE, secret=code)
    return sent


def _code_check(*, user, code: str) -> tuple[PhoneCode | None, str]:
    """Lock the live code and judge `code`: (the code row when right, else the reason). Counts a wrong try."""
    live = PhoneCode.objects.select_for_update().filter(user=user, used_at__isnull=True).order_by("-created_at").first()
    if live is None:
        return None, _("Chưa có mã nào đang chờ. Hãy bấm “Gửi mã xác minh”.")
    if live.expires_at <= timezone.now():
        return None, _("Mã đã hết hạn. Hãy bấm “Gửi mã xác minh” để nhận mã mới.")
    if live.attempts >= settings.NOTICE_CODE_MAX_ATTEMPTS:
        return None, _("Bạn đã nhập sai quá nhiều lần. Hãy bấm “Gửi mã xác minh” để nhận mã mới.")
    expected = _code_hash(user_id=user.pk, phone=live.phone, code=(code or "").strip())
    if not hmac.compare_digest(expected, live.code_hash):
        live.attempts += 1
        live.save(update_fields=["attempts"])
        left = settings.NOTICE_CODE_MAX_ATTEMPTS - live.attempts
        if left <= 0:
            return None, _("Bạn đã nhập sai quá nhiều lần. Hãy bấm “Gửi mã xác minh” để nhận mã mới.")
        return None, _("Mã xác minh không đúng. Bạn còn %(left)d lần thử.") % {"left": left}
    return live, ""


def notice_code_verify(*, user, code: str) -> NoticeSettings:
    """The code typed back: the number it was sent to becomes the citizen's verified number for notices."""
    with transaction.atomic():
        live, reason = _code_check(user=user, code=code)
        if live is not None:
            live.used_at = timezone.now()
            live.save(update_fields=["used_at"])
            chosen, _created = NoticeSettings.objects.select_for_update().get_or_create(user=user)
            if chosen.phone != live.phone:
                chosen.zalo_user_id, chosen.zalo = "", False  # a new number: its Zalo account is found again
            chosen.phone, chosen.phone_verified_at = live.phone, live.used_at
            chosen.save()
    if live is None:  # raised after the commit: the wrong try stays counted
        raise ValidationError(reason)
    return chosen


def notice_settings_save(*, user, sms: bool, zalo: bool) -> NoticeSettings:
    """Turn the channels on or off; either needs the verified number, Zalo also the citizen's OA follower id."""
    chosen = notice_settings_of(user=user)
    on = set(channels_on())
    sms, zalo = sms and NoticeChannel.SMS in on, zalo and NoticeChannel.ZALO in on
    if (sms or zalo) and not chosen.phone_verified_at:
        raise ValidationError(_("Hãy xác minh số điện thoại trước khi bật nhận tin."))
    if zalo and not chosen.zalo_user_id:
        try:
            chosen.zalo_user_id = channel_for(NoticeChannel.ZALO).recipient_for(phone=chosen.phone)
        except Refused as exc:
            raise ValidationError(_("Số điện thoại này chưa quan tâm Zalo OA của Cổng Dịch vụ công. Hãy mở Zalo, "
                                    "tìm “Cổng Dịch vụ công tỉnh Kon Tum”, bấm “Quan tâm” rồi thử lại.")) from exc
        except Transient as exc:
            raise ValidationError(_("Zalo chưa trả lời. Vui lòng thử lại sau ít phút.")) from exc
    chosen.sms, chosen.zalo = sms, zalo
    chosen.save()
    return chosen


def notice_resend(*, notice_ids) -> int:
    """Queue again the given notices that failed or never left (admin action). Return how many."""
    ids = list(Notice.objects.filter(pk__in=list(notice_ids), kind=NoticeKind.STATUS,
                                     status__in=(NoticeStatus.PENDING, NoticeStatus.FAILED))
               .values_list("pk", flat=True))
    for notice_id in ids:
        notice_enqueue(notice_id)
    return len(ids)


def notice_code_pending(*, user) -> bool:
    """Whether a code was sent and may still be typed."""
    return PhoneCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).exists()
