"""The catalogue's own words, shown in the reader's language.

The national catalogue is data written in Vietnamese: a channel's time limit ("15 Ngày làm việc") and a
component's quantity ("1 bản chính, 1 bản sao") arrive as text. Their words come from a short closed list, so
they are translated when shown, from messages in the catalogues (locale/); anything else stays as written.
"""

import re
from decimal import Decimal

from django import template
from django.utils import formats, translation
from django.utils.translation import ngettext_lazy

register = template.Library()

# The units procedures.national.parse_time reads; "count" picks the plural, "value" is the number as shown.
TIME_UNITS = {
    "ngày làm việc": ngettext_lazy("%(value)s ngày làm việc", "%(value)s ngày làm việc", "count"),
    "giờ làm việc": ngettext_lazy("%(value)s giờ làm việc", "%(value)s giờ làm việc", "count"),
    "ngày": ngettext_lazy("%(value)s ngày", "%(value)s ngày", "count"),
    "giờ": ngettext_lazy("%(value)s giờ", "%(value)s giờ", "count"),
    "tuần": ngettext_lazy("%(value)s tuần", "%(value)s tuần", "count"),
    "tháng": ngettext_lazy("%(value)s tháng", "%(value)s tháng", "count"),
    "năm": ngettext_lazy("%(value)s năm", "%(value)s năm", "count"),
    "phút": ngettext_lazy("%(value)s phút", "%(value)s phút", "count"),
}
COPIES = {
    "bản chính": ngettext_lazy("%(value)s bản chính", "%(value)s bản chính", "count"),
    "bản sao": ngettext_lazy("%(value)s bản sao", "%(value)s bản sao", "count"),
}
_COPY = re.compile(r"\s*(\d+)\s*(bản chính|bản sao)\s*", re.IGNORECASE)


def _count(value: Decimal) -> int:
    """The number that picks a plural form: a fraction (1,5 days) reads as plural."""
    return int(value) if value == value.to_integral_value() else 2


def time_text(value: Decimal, unit) -> str:
    """Return "15 working days" for (15, "Ngày làm việc") in the active language; an unknown unit as written."""
    value = Decimal(value).normalize()
    shown = formats.number_format(value, use_l10n=True)
    with translation.override("vi"):  # a unit may be a lazy message (a procedure entered by hand): its key
        key = " ".join(str(unit or "").split()).lower()
    message = TIME_UNITS.get(key)
    if message is None:
        return f"{shown} {unit or ''}".strip()
    return message % {"count": _count(value), "value": shown}


def quantity_text(quantity: str) -> str:
    """Return "1 original, 1 copy" for "1 bản chính,1 bản sao" in the active language; other text as written."""
    items = [part for part in re.split(r"[,;]", quantity or "") if part.strip()]
    found = [_COPY.fullmatch(part) for part in items]
    if not items or not all(found):
        return quantity
    return ", ".join(str(COPIES[m[2].lower()] % {"count": int(m[1]), "value": int(m[1])}) for m in found)


@register.filter
def channel_time(row) -> str:
    """A channel's time limit ({{ row|channel_time }}), its unit translated."""
    if row.time_value is None:
        return ""
    return time_text(row.time_value, row.time_unit)


@register.filter
def quantity_words(quantity: str) -> str:
    return quantity_text(quantity)
