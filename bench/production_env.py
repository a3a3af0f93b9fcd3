"""The secrets production refuses to start without (portal.startup, DJANGO_DEBUG=0), made up for one
benchmark run: the benchmarks measure the production settings, never with a deployment's keys."""

import os
import secrets
from collections.abc import MutableMapping

SECRETS = ("DJANGO_SECRET_KEY", "VNPAY_HASH_SECRET", "MOMO_ACCESS_KEY", "MOMO_SECRET_KEY")
MERCHANT_CODES = {"VNPAY_TMN_CODE": "KTBENCH1", "MOMO_PARTNER_CODE": "MOMOBENCH"}


def production_secrets(env: MutableMapping[str, str] = os.environ) -> MutableMapping[str, str]:
    """Give `env` (the process's environment by default) each secret it lacks; return it."""
    for name in SECRETS:
        env.setdefault(name, "bench-" + secrets.token_urlsafe(32))
    for name, code in MERCHANT_CODES.items():
        env.setdefault(name, code)
    return env
