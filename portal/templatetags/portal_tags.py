from django import template
from django.utils.translation import gettext as _

from common.formats import vnd_plain

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Format whole đồng the Vietnamese way: 1250000 -> "1.250.000 đ" ("1.250.000 VND" in English)."""
    try:
        return _("%(amount)s đ") % {"amount": vnd_plain(amount)}
    except (TypeError, ValueError):
        return ""
