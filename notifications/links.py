"""Links that grant access (password reset, confirmation, e-mail change), made when the e-mail is sent.

Like attachments (notifications.attachments): the app that owns a link registers its builder with
@link_builder and hands the function to email_queue(secret_link=(builder, kwargs)); the outbox keeps the
builder's name and arguments, never the link, and the worker runs only builders registered here.
A builder is called as `builder(redacted=bool, **kwargs)` and returns the template context holding the
link (`redacted=True`: the copy the outbox keeps, without any token).
"""

from collections.abc import Callable

Builder = Callable[..., dict]
_BUILDERS: dict[str, Builder] = {}


def link_builder(builder: Builder) -> Builder:
    name = f"{builder.__module__}.{builder.__qualname__}"
    _BUILDERS[name] = builder
    builder.link_name = name
    return builder


def link_name(builder: Builder) -> str:
    """The name an outbox row keeps for `builder`; a builder that was not registered is refused."""
    name = getattr(builder, "link_name", "")
    if _BUILDERS.get(name) is not builder:
        raise LookupError(f"{builder!r} is not a registered link builder (@link_builder)")
    return name


def link_build(name: str, args: dict, *, redacted: bool) -> dict:
    return _BUILDERS[name](redacted=redacted, **args)
