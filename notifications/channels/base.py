"""The plugins' base, their registry and their HTTP client (see the package's docstring)."""

import abc
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

_REGISTRY: dict[tuple[str, str], type["Channel"]] = {}


class ChannelError(Exception):
    """A send that did not go through."""


class Transient(ChannelError):
    """Worth trying again later."""


class Refused(ChannelError):
    """The provider will never accept this message as it is."""


@dataclass(frozen=True)
class Sent:
    provider_id: str


class Channel(abc.ABC):
    channel = ""
    provider = ""

    @abc.abstractmethod
    def send(self, *, recipient: str, text: str, request_id: str) -> Sent:
        """Hand `text` to the provider for `recipient`; raise Transient or Refused when it does not go through."""

    def recipient_for(self, *, phone: str) -> str:
        """The address this channel reaches the verified `phone` at (raise Refused when there is none)."""
        return phone


def register(channel: str, provider: str):
    def decorate(cls):
        cls.channel, cls.provider = channel, provider
        _REGISTRY[(channel, provider)] = cls
        return cls

    return decorate


def channel_for(channel: str) -> Channel:
    """The plugin the settings choose for `channel` (settings.NOTICE_PROVIDERS)."""
    return _REGISTRY[(channel, settings.NOTICE_PROVIDERS[channel])]()


def http_json(url: str, *, payload: dict | None = None, headers: dict | None = None) -> dict:
    """POST (or GET without payload) JSON; bounded by NOTICE_HTTP_TIMEOUT. Network trouble and 5xx are Transient."""
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET", headers={
        "Content-Type": "application/json", "Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTICE_HTTP_TIMEOUT) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise Transient(f"HTTP {exc.code}") from exc
        raise Refused(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise Transient(f"{type(exc).__name__}: {exc}") from exc
    except ValueError as exc:  # not JSON: a proxy's error page
        raise Transient("answer is not JSON") from exc
