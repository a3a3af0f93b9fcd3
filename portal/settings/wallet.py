"""The citizens' document wallet (wallet/): the quota per account and the expiry reminder."""

from .base import env

# Papers one account may keep, and their bytes in all (results the portal issued count too).
WALLET_MAX_ITEMS = env.int("WALLET_MAX_ITEMS", default=100)
WALLET_MAX_BYTES = env.int("WALLET_MAX_BYTES", default=200 * 2**20)
# A paper expiring within this many days is reminded once (the beat's wallet-expiry-remind, tasks.py).
WALLET_REMIND_DAYS = env.int("WALLET_REMIND_DAYS", default=30)
