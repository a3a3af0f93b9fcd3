from django import template

register = template.Library()


@register.filter
def dong(amount) -> str:
    """150000 -> "150.000 VND", as Vietnamese banks write amounts."""
    try:
        return f"{int(amount):,} VND".replace(",", ".")
    except (TypeError, ValueError):
        return ""
