"""The test PKI (certomancer, keys made now) served on loopback, and the portal configured to use it."""

import pytest

from signatures.constants import SignerKind
from signatures.models import AgencySigner

from .pki import start_pki

@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    running = start_pki(tmp_path_factory.mktemp("pki"))
    yield running
    running.stop()


@pytest.fixture
def signing(settings, pki):
    """The operator's settings: the TSA, the trusted roots (the test root only), fetching on."""
    settings.SIGNATURES_TSA_URL = pki.tsa_url
    settings.SIGNATURES_TRUST_ROOTS = str(pki.write_roots("portal-test"))
    settings.SIGNATURES_FETCH = True
    return pki


@pytest.fixture
def agency_signer(signing, build):
    """An agency whose key is the test CA's `agency` certificate, in a PKCS#12 file the operator stored."""

    def make(label="agency", arch="portal-test", agency=None):
        agency = agency or build.agency()
        return AgencySigner.objects.create(
            agency=agency, kind=SignerKind.FILE, key_path=str(signing.write_signer(label, arch)))

    return make
