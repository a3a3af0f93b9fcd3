"""Payments (DESIGN.md §6): gateway plugins and the simulated gateways, reconciliation, e-receipts."""

from .base import SITE_URL, env
from .security import env_secret

# The sandbox (/sandbox/…, PAYMENT_SANDBOX in base.py) stands in for VNPay and MoMo, and knows the merchant by the
# keys below. Their development values (the sandbox's test merchant, MoMo's published test partner) serve only with
# DEBUG: a deployment sets its own, even one that runs the sandbox.
_SANDBOX_URL = SITE_URL.rstrip("/") + "/sandbox"
# VNPay 2.1.0: terminal code and hash secret issued by VNPay.
VNPAY_TMN_CODE = env_secret("VNPAY_TMN_CODE", development="KONTUM01")
VNPAY_HASH_SECRET = env_secret("VNPAY_HASH_SECRET", development="SANDBOXVNPAYSECRETKONTUM0123456789")
VNPAY_PAYMENT_URL = env.str("VNPAY_PAYMENT_URL", default=_SANDBOX_URL + "/vnpay/paymentv2/vpcpay.html")
# querydr and refund (merchant_webapi).
VNPAY_API_URL = env.str("VNPAY_API_URL", default=_SANDBOX_URL + "/vnpay/merchant_webapi/api/transaction")
# MoMo v2: partner code and keys issued by MoMo; the endpoint is the base of /v2/gateway/api/….
MOMO_PARTNER_CODE = env_secret("MOMO_PARTNER_CODE", development="MOMO")
MOMO_ACCESS_KEY = env_secret("MOMO_ACCESS_KEY", development="F8BBA842ECF85")
MOMO_SECRET_KEY = env_secret("MOMO_SECRET_KEY", development="K951B6PE1waDMi640xX08PD3vg6EkVlz")
MOMO_ENDPOINT = env.str("MOMO_ENDPOINT", default=_SANDBOX_URL + "/momo")
# Seconds to wait for a gateway's server-to-server answer.
PAYMENT_HTTP_TIMEOUT = env.int("PAYMENT_HTTP_TIMEOUT", default=15)
PAYMENT_EXPIRY_MINUTES = env.int("PAYMENT_EXPIRY_MINUTES", default=15)
# Sandbox only. VNPay registers the IPN address per merchant (it is not part of the pay request).
PAYMENT_SANDBOX_VNPAY_IPN_URL = env.str(
    "PAYMENT_SANDBOX_VNPAY_IPN_URL", default=SITE_URL.rstrip("/") + "/thanh-toan/vnpay/ipn/"
)
# The "delayed IPN" choice waits this long; a refused IPN is sent again after this delay, doubled each time.
PAYMENT_SANDBOX_IPN_DELAY = env.int("PAYMENT_SANDBOX_IPN_DELAY", default=30)
PAYMENT_SANDBOX_IPN_RETRY_DELAY = env.int("PAYMENT_SANDBOX_IPN_RETRY_DELAY", default=10)

# Reconciliation (payments.tasks.payments_reconcile).
# A payment still pending this many minutes after it was opened is asked about at the gateway.
PAYMENT_RECONCILE_AFTER_MINUTES = env.int("PAYMENT_RECONCILE_AFTER_MINUTES", default=5)
# At most this many payments are asked about per run (the beat runs every PAYMENT_RECONCILE_EVERY seconds).
PAYMENT_RECONCILE_BATCH = env.int("PAYMENT_RECONCILE_BATCH", default=200)
PAYMENT_RECONCILE_EVERY = env.int("PAYMENT_RECONCILE_EVERY", default=120)

# E-receipts (biên lai điện tử): the form number and symbol a new agency's series starts with; each agency's own
# are set in the admin (Dãy số biên lai). {yy}: the year's last two digits.
RECEIPT_FORM_NUMBER = env.str("RECEIPT_FORM_NUMBER", default="01BLP0-001")
RECEIPT_SYMBOL = env.str("RECEIPT_SYMBOL", default="BL{yy}E")
