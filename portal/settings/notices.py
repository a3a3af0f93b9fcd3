"""Notices by SMS and Zalo (issue 30 §3): the channels switched on, each channel's provider, endpoint, key and
timeout, the limits. The sandbox (/sandbox/sms/, /sandbox/zalo/: SMS_SANDBOX, ZALO_SANDBOX in base.py) stands in
for both providers; its development keys serve only with DEBUG: a deployment sets its own."""

from .base import DEBUG, SITE_URL, env
from .security import env_secret

_SANDBOX_URL = SITE_URL.rstrip("/") + "/sandbox"
# The channels a citizen may choose in /tai-khoan/thong-bao/ (off in production unless set): "sms", "zalo".
NOTICE_CHANNELS = env.list("NOTICE_CHANNELS", default=["sms", "zalo"] if DEBUG else [])
# The plugin of each channel (notifications/channels/): a brandname SMS gateway speaking eSMS.vn's JSON API, and
# Zalo's Official Account API v3.
NOTICE_PROVIDERS = {
    "sms": env.str("NOTICE_SMS_PROVIDER", default="esms"),
    "zalo": env.str("NOTICE_ZALO_PROVIDER", default="zalo_oa"),
}
# SMS: the gateway's base address (…/MainService.svc/json/ follows), the account's key pair and registered brandname.
SMS_API_URL = env.str("SMS_API_URL", default=_SANDBOX_URL + "/sms")
# The keys are judged (production refuses the sandbox's) only when the channel is on.
_SMS_ON, _ZALO_ON = "sms" in NOTICE_CHANNELS, "zalo" in NOTICE_CHANNELS
SMS_API_KEY = (env_secret("SMS_API_KEY", development="SANDBOX-SMS-APIKEY-KONTUM") if _SMS_ON
               else env.str("SMS_API_KEY", default=""))
SMS_SECRET_KEY = (env_secret("SMS_SECRET_KEY", development="SANDBOX-SMS-SECRET-KONTUM") if _SMS_ON
                  else env.str("SMS_SECRET_KEY", default=""))
SMS_BRANDNAME = env.str("SMS_BRANDNAME", default="DVC KONTUM")
# Zalo OA: the API's base (…/v3.0/oa/message/cs follows) and the OA's access token (refreshed by the OA's owner).
ZALO_API_URL = env.str("ZALO_API_URL", default=_SANDBOX_URL + "/zalo")
ZALO_OA_ACCESS_TOKEN = (env_secret("ZALO_OA_ACCESS_TOKEN", development="SANDBOX-ZALO-OA-TOKEN-KONTUM") if _ZALO_ON
                        else env.str("ZALO_OA_ACCESS_TOKEN", default=""))
# Seconds to wait for a provider's answer (connect and read, each): a send never holds a worker longer.
NOTICE_HTTP_TIMEOUT = env.float("NOTICE_HTTP_TIMEOUT", default=10.0)
# Messages a provider is sent per minute (its contract's throughput); more wait for the next minute.
NOTICE_RATE_PER_MINUTE = env.int("NOTICE_RATE_PER_MINUTE", default=120)
# Status notices a citizen is sent per channel per day; the rest are recorded as held back (the e-mail still goes).
NOTICE_DAILY_CAP = env.int("NOTICE_DAILY_CAP", default=5)
# Phone verification: a code lives this many seconds, takes this many wrong tries, and is sent this often an hour.
NOTICE_CODE_TTL = env.int("NOTICE_CODE_TTL", default=300)
NOTICE_CODE_MAX_ATTEMPTS = env.int("NOTICE_CODE_MAX_ATTEMPTS", default=5)
NOTICE_CODE_SENDS_PER_HOUR = env.int("NOTICE_CODE_SENDS_PER_HOUR", default=3)
# A notice a sender claimed and left "sending" this many seconds (its worker died before the provider's answer was
# written) is taken back by the beat's sweep and sent again with the same request id, up to MAX_ATTEMPTS claims;
# then it is marked failed for the operator.
NOTICE_SENDING_LEASE = env.int("NOTICE_SENDING_LEASE", default=600)
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=5)
# Sandbox only: how long a provider told to time out keeps the request before answering.
NOTICE_SANDBOX_HANG_SECONDS = env.float("NOTICE_SANDBOX_HANG_SECONDS", default=30.0)
