from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Format whole đồng the Vietnamese way: 1250000 -> "1.250.000 đ"."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{value:,}".replace(",", ".") + " đ"
