"""How the portal writes amounts of money."""


def vnd_plain(amount: int) -> str:
    """Whole đồng with the Vietnamese thousands separator: 1250000 -> "1.250.000"."""
    return f"{int(amount):,}".replace(",", ".")
