"""Links that grant access (password reset, confirmation, e-mail change), made when the e-mail is sent.

Like attachments: the app that owns a link registers its builder with @link_builder and hands the function
to email_queue(secret_link=(builder, kwargs)); the outbox keeps the builder's name and arguments, never the
link (notifications.registry). A builder is called as `builder(redacted=bool, **kwargs)` and returns the
template context holding the link (`redacted=True`: the copy the outbox keeps, without any token).
"""

from .registry import BuilderRegistry

_registry = BuilderRegistry("link")
link_builder = _registry.register
link_name = _registry.name


def link_build(name: str, args: dict, *, redacted: bool) -> dict:
    return _registry.get(name)(redacted=redacted, **args)
