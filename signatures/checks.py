"""Deploy checks: no development key or demo root where the portal is deployed, and a TSA for every signer."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError

from .trust import trust_root_files


def _under_demo(path: str) -> bool:
    demo = Path(settings.SIGNATURES_DEMO_DIR).resolve()
    return bool(path) and (Path(path).resolve() == demo or demo in Path(path).resolve().parents)


def _active_signers():
    from .models import AgencySigner

    try:
        return list(AgencySigner.objects.filter(active=True).select_related("agency"))
    except DatabaseError:  # no database yet (an image being built): nothing to judge
        return []


@register(Tags.security, deploy=True)
def check_signing(app_configs, **kwargs):
    """The demo CA made by seed_demo signs nothing in production and is trusted by nothing."""
    problems = []
    demo = [str(row.agency) for row in _active_signers()
            if any(_under_demo(p) for p in (row.key_path, row.cert_path, row.chain_path))]
    if demo:
        problems.append(Error(
            f"{len(demo)} agencies sign with a development key from {settings.SIGNATURES_DEMO_DIR} "
            f"({', '.join(demo[:3])}{', …' if len(demo) > 3 else ''}).",
            hint="Configure each agency's own certificate (admin: Chữ ký số của cơ quan) or deactivate the rows.",
            id="signatures.E001"))
    if any(_under_demo(str(p)) for p in trust_root_files()):
        problems.append(Error(
            f"SIGNATURES_TRUST_ROOTS includes the development root CA in {settings.SIGNATURES_DEMO_DIR}.",
            hint="Point SIGNATURES_TRUST_ROOTS at the national root certificates.", id="signatures.E002"))
    if not _active_signers() or settings.SIGNATURES_TSA_URL:
        return problems
    return [*problems, CheckWarning("Agencies sign documents without a timestamp (PAdES B-B).",
                         hint="Set SIGNATURES_TSA_URL to a time-stamping authority.", id="signatures.W001")]
