"""E-mail attachments made when the e-mail is sent (a receipt PDF), from builders registered by name.

The apps that own a builder register it with @attachment_builder and hand the function itself to
email_queue, so a reader follows the call from the caller to the builder (notifications.registry).
A builder takes the row's attachment_args and returns (filename, content, MIME type).
"""

from .registry import BuilderRegistry

_registry = BuilderRegistry("attachment")
attachment_builder = _registry.register
attachment_name = _registry.name


def attachment_build(name: str, args: dict) -> tuple[str, bytes, str]:
    """Run the builder registered as `name` with the row's arguments."""
    return _registry.get(name)(**args)
