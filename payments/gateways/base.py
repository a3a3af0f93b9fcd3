"""The interface every payment gateway plugin implements, and what its hooks return.

A portal view never knows which gateway it talks to: it looks the plugin up by the URL's
`<gateway>` (registry.get_gateway) and calls these hooks. Only the webhook marks a payment
paid; the browser return only shows the outcome (DESIGN.md §6).
"""

import abc
import enum
import hmac
import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ..constants import FAILURES, PaymentStatus


class GatewayError(Exception):
    """A server-to-server call to the gateway failed or was answered with something unusable."""


class WebhookCode(enum.Enum):
    """What the portal concluded about a webhook, in the order the checks run (DESIGN.md §6)."""

    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_ORDER = "unknown_order"
    WRONG_AMOUNT = "wrong_amount"
    ALREADY_FINAL = "already_final"
    ACCEPTED = "accepted"
    UNEXPECTED = "unexpected"


@dataclass(frozen=True)
class PaymentRedirect:
    """Where to send the payer's browser: GET `url`, or POST `data` to `url`."""

    url: str
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GatewayOutcome:
    """A gateway's statement about one payment (browser return, webhook or status query).

    `status` is what the statement means in the portal's terms (the plugin reads its own result codes):
    PENDING while the gateway still calls it open, or when the statement is unsigned or unreadable.
    `amount_vnd` is None when the amount is missing or not a whole number of đồng.
    """

    signature_ok: bool
    reference: str = ""
    amount_vnd: int | None = None
    status: str = PaymentStatus.PENDING
    transaction_id: str = ""
    code: str = ""
    message: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        return self.status == PaymentStatus.PAID

    @property
    def final_failure(self) -> bool:
        return self.status in FAILURES

    def __post_init__(self):
        # Whatever a gateway (or a forger) sent, an outcome holds no NUL: the rows it is written to cannot.
        for name in ("reference", "transaction_id", "code", "message", "raw"):
            object.__setattr__(self, name, without_nul(getattr(self, name)))


def without_nul(value):
    """`value` with each NUL character replaced by U+FFFD: PostgreSQL text and jsonb cannot hold NUL.

    Everything else is kept exactly as it came; a NUL is never part of a genuine gateway statement.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value


# The browser return and the webhook carry the same signed fields, so they parse alike.
WebhookParse = GatewayOutcome


@dataclass(frozen=True)
class RefundResult:
    """The gateway's answer to a refund request."""

    signature_ok: bool
    accepted: bool
    code: str = ""
    message: str = ""
    transaction_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class PaymentGateway(abc.ABC):
    """Base class of the plugins; `name` is set by @register."""

    name: str = ""
    label: str = ""

    @abc.abstractmethod
    def start_payment(
        self,
        *,
        payment_ref: str,
        amount: int,
        order_info: str,
        return_url: str,
        ipn_url: str,
        client_ip: str,
        bank_code: str = "",
        created_at: datetime | None = None,
    ) -> PaymentRedirect:
        """Open a payment of `amount` VND at the gateway; return where the browser goes next."""

    @abc.abstractmethod
    def parse_return(self, request_data: Mapping[str, str]) -> GatewayOutcome:
        """Read the browser return's parameters (to show the outcome; never to mark paid)."""

    @abc.abstractmethod
    def verify_webhook(self, request: HttpRequest) -> WebhookParse:
        """Check the webhook's signature and read it; never raises on bad input."""

    @abc.abstractmethod
    def webhook_response(self, code: WebhookCode) -> HttpResponse:
        """The answer the gateway expects for a webhook judged as `code`."""

    @abc.abstractmethod
    def query_status(self, *, payment_ref: str, created_at: datetime, client_ip: str = "127.0.0.1",
                     order_info: str = "") -> GatewayOutcome:
        """Ask the gateway for the payment's status (reconciliation)."""

    @abc.abstractmethod
    def refund(self, *, payment_ref: str, amount: int, transaction_id: str, created_at: datetime,
               reason: str, requested_by: str, client_ip: str = "127.0.0.1",
               full: bool = True) -> RefundResult:
        """Ask the gateway to give `amount` VND of a paid payment back."""


def post_json(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST `payload` as JSON to a gateway's API and return its JSON answer, or raise GatewayError."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json; charset=UTF-8", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.PAYMENT_HTTP_TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"{url} answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(f"{url} unreachable: {exc}") from exc
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise GatewayError(f"{url} answered something that is not JSON") from exc
    if not isinstance(answer, dict):
        raise GatewayError(f"{url} answered JSON that is not an object")
    return answer


def signature_matches(received: str, expected: str) -> bool:
    """Compare a received hex signature with ours in constant time, whatever characters it holds.

    hmac.compare_digest refuses str with non-ASCII characters (TypeError); a forged callback may carry any.
    """
    return bool(received) and hmac.compare_digest(received.lower().encode("utf-8"), expected.encode("utf-8"))


def to_int(value: Any) -> int | None:
    """Return `value` as an int if it is a whole number (int or digit string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        return int(value.strip())
    return None
