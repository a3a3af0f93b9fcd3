"""Channel plugins besides e-mail: one per provider, registered by name, chosen by settings.NOTICE_PROVIDERS.

    @register("sms", "esms")
    class EsmsChannel(Channel): ...

    channel_for("sms").send(recipient="0912345678", text="...", request_id="notice-12")

A plugin raises Transient for what may pass (network, timeout, the provider busy: the task retries with backoff)
and Refused for what will not (a wrong key, a number the provider refuses: the notice is marked failed).
"""

from . import sms, zalo  # noqa: F401  (the plugins register themselves)
from .base import Channel, ChannelError, Refused, Sent, Transient, channel_for, register

__all__ = ["Channel", "ChannelError", "Refused", "Sent", "Transient", "channel_for", "register"]
