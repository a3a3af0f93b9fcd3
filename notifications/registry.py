"""Functions an outbox row names, run when the e-mail is sent: attachments (notifications.attachments) and
links that grant access (notifications.links).

The app that owns a builder registers it; the outbox keeps the builder's dotted name and its arguments, and
the worker runs only a builder registered here, never a path read back from the database.
"""

from collections.abc import Callable


class BuilderRegistry:
    """Builders of one kind, by dotted name (the name outbox rows written before the registry carry)."""

    def __init__(self, kind: str):
        self.kind = kind
        self._builders: dict[str, Callable] = {}

    def register(self, builder: Callable) -> Callable:
        self._builders[self._dotted(builder)] = builder
        return builder

    def name(self, builder: Callable) -> str:
        """The name an outbox row keeps for `builder`; a builder that was not registered is refused."""
        name = self._dotted(builder)
        if self._builders.get(name) is not builder:
            raise LookupError(f"{builder!r} is not a registered {self.kind} builder")
        return name

    def get(self, name: str) -> Callable:
        return self._builders[name]

    @staticmethod
    def _dotted(builder: Callable) -> str:
        return f"{builder.__module__}.{builder.__qualname__}"
