"""The citizens' document wallet (wallet/): the quota per account and the expiry reminder."""

from .base import env

# Papers one account may keep, and their bytes in all (results the portal issued count too).
WALLET_MAX_ITEMS = env.int("WALLET_MAX_ITEMS", default=100)
WALLET_MAX_BYTES = env.int("WALLET_MAX_BYTES", default=200 * 2**20)
# A paper expiring within this many days is reminded once (the beat's wallet-expiry-remind, tasks.py).
WALLET_REMIND_DAYS = env.int("WALLET_REMIND_DAYS", default=30)
# Papers one account may keep (its wallet page's form and "Lưu vào kho" from a dossier) per window of seconds,
# against a script keeping and deleting in a loop; results the portal issues are not counted.
WALLET_KEEP_RATE_LIMIT = env.int("WALLET_KEEP_RATE_LIMIT", default=30)
WALLET_KEEP_RATE_WINDOW = env.int("WALLET_KEEP_RATE_WINDOW", default=3600)
