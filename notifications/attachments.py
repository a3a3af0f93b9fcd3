"""E-mail attachments made when the e-mail is sent (a receipt PDF), from builders registered by name.

An outbox row keeps its attachment's builder by name; the apps that own a builder register it with
@attachment_builder and hand the function itself to email_queue, so a reader follows the call from the
caller to the builder, and the worker only ever runs a builder registered here, never a path read back
from the database.
"""

from collections.abc import Callable

# A builder takes the row's attachment_args and returns (filename, content, MIME type).
Builder = Callable[..., tuple[str, bytes, str]]
_BUILDERS: dict[str, Builder] = {}


def attachment_builder(builder: Builder) -> Builder:
    """Register `builder` under its dotted name (the name outbox rows written before the registry carry)."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    _BUILDERS[name] = builder
    builder.attachment_name = name
    return builder


def attachment_name(builder: Builder) -> str:
    """The name an outbox row keeps for `builder`; a builder that was not registered is refused."""
    name = getattr(builder, "attachment_name", "")
    if _BUILDERS.get(name) is not builder:
        raise LookupError(f"{builder!r} is not a registered attachment builder (@attachment_builder)")
    return name


def attachment_build(name: str, args: dict) -> tuple[str, bytes, str]:
    """Run the builder registered as `name` with the row's arguments."""
    return _BUILDERS[name](**args)
