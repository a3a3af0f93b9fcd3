from django import template

from common.formats import vnd_plain

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Format whole đồng the Vietnamese way: 1250000 -> "1.250.000 đ"."""
    try:
        return vnd_plain(amount) + " đ"
    except (TypeError, ValueError):
        return ""
