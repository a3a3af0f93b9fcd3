"""Sync with the national portal (Cổng Dịch vụ công quốc gia, issue 28 §2): the outbox's delivery, its protocol,
endpoints, credentials and timeouts; the sandbox that plays the national side (/sandbox/dvcqg/, NATIONAL_SANDBOX).

Off unless NATIONAL_SYNC_ENABLED: no outbox row is written and nothing is sent. When it (or the sandbox) is on, the
credentials are secrets: production refuses the development values, which are the sandbox's own test accounts.
"""

from .base import NATIONAL_SANDBOX, SITE_URL, env
from .security import env_secret

NATIONAL_SYNC_ENABLED = env.bool("NATIONAL_SYNC_ENABLED", default=False)

# "motcua": the one-stop protocol (login with dstcode for a session, then DongBoHoSoMC and CapNhatTienDoHoSoMC);
# "v2": the newer REST one (OAuth 2 client-credentials token; files, then the dossier, then progress and status).
NATIONAL_SYNC_PROTOCOL = env.str("NATIONAL_SYNC_PROTOCOL", default="motcua")
_SANDBOX_URL = SITE_URL.rstrip("/") + "/sandbox/dvcqg"
NATIONAL_MOTCUA_URL = env.str("NATIONAL_MOTCUA_URL", default=_SANDBOX_URL + "/motcua")
NATIONAL_V2_URL = env.str("NATIONAL_V2_URL", default=_SANDBOX_URL + "/v2")


# The credentials are secrets (refused in production unset or at their development value, the sandbox's test
# accounts) once sync or the sandbox is on; otherwise nothing reads them.
_CREDENTIALS = NATIONAL_SYNC_ENABLED or NATIONAL_SANDBOX
# The one-stop account issued to the province, and the province's unit code (madonvi) and destination (dstcode).
NATIONAL_MOTCUA_USERNAME = env.str("NATIONAL_MOTCUA_USERNAME", default="kontum")
NATIONAL_MOTCUA_PASSWORD = (env_secret("NATIONAL_MOTCUA_PASSWORD", development="sandbox-motcua-password")
                            if _CREDENTIALS else env.str("NATIONAL_MOTCUA_PASSWORD", default=""))
NATIONAL_MOTCUA_DSTCODE = env.str("NATIONAL_MOTCUA_DSTCODE", default="VN:GOV:000.00.00.G22:vpcp")
NATIONAL_UNIT_CODE = env.str("NATIONAL_UNIT_CODE", default="000.00.00.H34")
# The newer protocol's OAuth 2 client.
NATIONAL_V2_CLIENT_ID = env.str("NATIONAL_V2_CLIENT_ID", default="kontum-portal")
NATIONAL_V2_CLIENT_SECRET = (env_secret("NATIONAL_V2_CLIENT_SECRET", development="sandbox-v2-client-secret")
                             if _CREDENTIALS else env.str("NATIONAL_V2_CLIENT_SECRET", default=""))

# Seconds to wait for one answer of the national side.
NATIONAL_SYNC_TIMEOUT = env.float("NATIONAL_SYNC_TIMEOUT", default=15.0)
# A failed record is tried again after BACKOFF × 2^(attempts − 1) seconds, at most BACKOFF_MAX; after
# MAX_ATTEMPTS it waits for the operator (admin: Gửi lại) or the comparison.
NATIONAL_SYNC_BACKOFF = env.float("NATIONAL_SYNC_BACKOFF", default=10.0)
NATIONAL_SYNC_BACKOFF_MAX = env.float("NATIONAL_SYNC_BACKOFF_MAX", default=3600.0)
NATIONAL_SYNC_MAX_ATTEMPTS = env.int("NATIONAL_SYNC_MAX_ATTEMPTS", default=15)
# The beat: records due for SWEEP_AFTER seconds are queued every SWEEP_EVERY seconds; the comparison with the national side runs every
# COMPARE_EVERY seconds over the dossiers synced in the last COMPARE_DAYS days.
NATIONAL_SYNC_SWEEP_EVERY = env.int("NATIONAL_SYNC_SWEEP_EVERY", default=60)
# The sweep queues only what has been due this many seconds (a task on its way is not queued twice).
NATIONAL_SYNC_SWEEP_AFTER = env.int("NATIONAL_SYNC_SWEEP_AFTER", default=60)
# A dossier the sweep queued is not queued again for this many seconds while its task waits or runs (the lease; a
# task lost with its message is replaced when it expires).
NATIONAL_SYNC_LEASE = env.int("NATIONAL_SYNC_LEASE", default=300)
NATIONAL_SYNC_COMPARE_EVERY = env.int("NATIONAL_SYNC_COMPARE_EVERY", default=3600)
NATIONAL_SYNC_COMPARE_DAYS = env.int("NATIONAL_SYNC_COMPARE_DAYS", default=7)
