"""The text of a notice: short, in the citizen's language, naming nothing of them but the dossier's code.

SMS goes without diacritics, in one GSM-7 segment (160 characters): Vietnamese brandname gateways bill a Unicode
SMS by 70 characters and carriers register customer-care templates in this form. Zalo keeps the diacritics.
"""

import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .constants import CODE_MASK, NoticeChannel

SMS_LIMIT = 160


def plain(text: str) -> str:
    """Vietnamese without diacritics, as SMS gateways take it ("Hồ sơ đã nhận" → "Ho so da nhan")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def _fit(channel: str, text: str) -> str:
    return plain(text) if channel == NoticeChannel.SMS else text


def status_text(*, channel: str, language: str, reference: str, status, link: str) -> str:
    """"Hồ sơ <code>: <status>. Xem: <link>"; an SMS too long shortens the status, never the code or the link."""
    with translation.override(language or settings.LANGUAGE_CODE):
        label = str(status)
        template = _("Hồ sơ %(code)s: %(status)s. Xem: %(link)s")
        text = _fit(channel, template % {"code": reference, "status": label, "link": link})
        if channel == NoticeChannel.SMS and len(text) > SMS_LIMIT:
            room = max(0, len(label) - (len(text) - SMS_LIMIT) - 1)
            text = _fit(channel, template % {"code": reference, "status": label[:room] + "…", "link": link})
    return text[:SMS_LIMIT] if channel == NoticeChannel.SMS else text


def code_text(*, language: str, minutes: int) -> str:
    """The verification SMS, its code masked (the sender puts the code in)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        text = _("Mã xác minh số điện thoại nhận tin của Cổng Dịch vụ công: %(code)s (hiệu lực %(minutes)d phút). "
                 "Không chia sẻ mã này.") % {"code": CODE_MASK, "minutes": minutes}
    return plain(text)[:SMS_LIMIT]
