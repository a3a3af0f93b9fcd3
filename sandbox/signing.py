"""The gateway side of the signatures, written independently of payments.gateways on purpose."""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode, quote_plus


def vnpay_signed_query(params: Mapping[str, object], secret: str) -> str:
    """The query string VNPay sends: sorted non-empty vnp_* pairs, then vnp_SecureHash."""
    pairs = sorted((k, str(v)) for k, v in params.items() if k.startswith("vnp_") and str(v) != ""
                   and k not in ("vnp_SecureHash", "vnp_SecureHashType"))
    data = urlencode(pairs, quote_via=quote_plus)
    digest = hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()
    return f"{data}&vnp_SecureHash={digest}"


def vnpay_signature_ok(params: Mapping[str, str], secret: str) -> bool:
    """Whether the merchant's vnp_SecureHash signs the other vnp_* parameters."""
    received = params.get("vnp_SecureHash", "")
    expected = vnpay_signed_query(params, secret).rsplit("=", 1)[1]
    return signature_matches(received, expected)


def signature_matches(received: str, expected: str) -> bool:
    """Constant-time comparison that also takes a forged signature with non-ASCII characters (a False, not a TypeError)."""
    return bool(received) and hmac.compare_digest(received.lower().encode("utf-8"), expected.encode("utf-8"))


def vnpay_pipe_hash(values: Iterable[object], secret: str) -> str:
    """HMAC-SHA512 of the values joined with `|` (merchant API: querydr, refund)."""
    return hmac.new(secret.encode(), "|".join(str(v) for v in values).encode(), hashlib.sha512).hexdigest()


def momo_signature(fields: Iterable[str], values: Mapping[str, object], access_key: str, secret_key: str) -> str:
    """HMAC-SHA256 hex over `accessKey=…&field=…` in the given order, values unquoted."""
    source = {**values, "accessKey": access_key}
    raw = "&".join(f"{name}={'' if source.get(name) is None else source.get(name)}" for name in fields)
    return hmac.new(secret_key.encode(), raw.encode(), hashlib.sha256).hexdigest()
