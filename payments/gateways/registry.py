"""The gateway plugins by name, as they appear in /thanh-toan/<gateway>/…."""

from .base import PaymentGateway

_gateways: dict[str, PaymentGateway] = {}


def register(name: str):
    """Class decorator: register one instance of the plugin under `name`."""

    def decorator(cls: type[PaymentGateway]) -> type[PaymentGateway]:
        if name in _gateways:
            raise ValueError(f"payment gateway {name!r} is already registered")
        cls.name = name
        _gateways[name] = cls()
        return cls

    return decorator


def get_gateway(name: str) -> PaymentGateway:
    """Return the plugin registered as `name`; LookupError for an unknown name (views answer 404)."""
    try:
        return _gateways[name]
    except KeyError:
        raise LookupError(f"unknown payment gateway {name!r}") from None


def gateway_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered gateway, for forms and admin filters."""
    return [(name, gateway.label) for name, gateway in _gateways.items()]
