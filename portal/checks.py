"""The project's system checks: development stand-ins switched on where the portal is deployed (`check --deploy`).

And the secrets production has not set (settings.UNSAFE_DEFAULTS): an error, as the portal refuses to start on them.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning

# (setting, check id, what being on means)
STAND_INS = (
    ("PAYMENT_SANDBOX", "portal.W001",
     "the simulated VNPay and MoMo gateways are installed and served at /sandbox/, where anyone can 'pay' a fee, "
     "and they sign with this portal's gateway keys"),
    ("NATIONAL_SANDBOX", "portal.W007",
     "the simulated national portal is installed and served at /sandbox/dvcqg/, where anyone can read the dossiers "
     "synced to it and tell it to fail; it accepts this portal's national sync credentials"),
    ("DEMO_MODE", "portal.W002",
     "the demo app is installed (seed_demo creates demo accounts and a demo catalogue) and the demo mailbox at "
     "/tai-khoan/hop-thu/ shows every e-mail written to files"),
    ("BENCH_ENDPOINTS", "portal.W003",
     "/bench/ping/ is served and the demo app (generate_procedures) is installed"),
    ("SMS_SANDBOX", "portal.W004",
     "the simulated SMS gateway is installed and served at /sandbox/sms/, and shows every SMS it was sent"),
    ("ZALO_SANDBOX", "portal.W005",
     "the simulated Zalo OA API is installed and served at /sandbox/zalo/, and shows every message it was sent"),
    ("NATIONAL_IDP_SANDBOX", "portal.W006",
     "the simulated national identity provider is installed and served at /sandbox/idp/, where anyone logs in as a "
     "test citizen, and its client for this portal knows the portal's client secret"),
)


@register(Tags.security, deploy=True)
def check_stand_ins(app_configs, **kwargs):
    """Warn about each development stand-in that is on: production runs without them."""
    return [
        CheckWarning(f"{name} is on: {what}.", hint=f"Unset {name} (or set it to 0) in production.", id=check_id)
        for name, check_id, what in STAND_INS
        if getattr(settings, name, False)
    ]


@register(Tags.security, deploy=True)
def check_secrets(app_configs, **kwargs):
    """The portal refuses to start on the repository's secrets (portal.startup): say so before a deployment."""
    from .settings.security import unsafe_defaults_message

    unsafe = getattr(settings, "UNSAFE_DEFAULTS", [])
    return [Error(unsafe_defaults_message(unsafe), id="portal.E001")] if unsafe else []
