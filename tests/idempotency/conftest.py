"""The dossier tests' captcha in test mode and a clean cache (the wizard's last step asks for the captcha)."""

import pytest

from tests.dossiers.conftest import _captcha_and_cache  # noqa: F401  (autouse here too)


@pytest.fixture
def ready(build):
    """A citizen's draft with every step done, ready for "Nộp hồ sơ"."""
    return build.ready_draft()


@pytest.fixture
def owed(build):
    """A dossier waiting for its fee (state 6)."""
    from tests.factories.payments import owed_dossier

    return owed_dossier(build)


SUBMIT = {"confirm": "on", "captcha_0": "x", "captcha_1": "PASSED"}


def submit_url(draft) -> str:
    return f"/ho-so/soan/{draft.uuid}/buoc-4/"


def fee_url(dossier) -> str:
    return f"/thanh-toan/ho-so/{dossier.code}/"
