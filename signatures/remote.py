"""The hook a licensed CA's remote signing service plugs into (ký số từ xa).

A remote signing service keeps the agency's key and signs a digest on request. A provider is a subclass of
RemoteSigningService registered under a name (`@register("vnpt-smartca")`); the operator picks that name in the
agency's AgencySigner row. The provider's own endpoint and credentials come from the environment, read by the
provider, as every outside endpoint of the portal is (portal/settings/*).
"""

import abc

from asn1crypto import x509
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

_SERVICES: dict[str, type["RemoteSigningService"]] = {}


class RemoteSigningService(abc.ABC):
    """One provider's remote signing, for one agency's certificate."""

    def __init__(self, *, agency_signer):
        self.agency_signer = agency_signer

    @abc.abstractmethod
    def signing_cert(self) -> x509.Certificate:
        """The agency's certificate at the provider."""

    def chain(self) -> list[x509.Certificate]:
        """The CA certificates above it, to embed beside the signature."""
        return []

    @abc.abstractmethod
    def sign(self, data: bytes, digest_algorithm: str) -> bytes:
        """The raw signature (PKCS#1 v1.5 or ECDSA) of `data` hashed with `digest_algorithm`, made by the provider."""


def register(name: str):
    """Register a RemoteSigningService subclass under `name`."""

    def decorate(cls):
        _SERVICES[name] = cls
        return cls

    return decorate


def remote_service(name: str) -> type[RemoteSigningService]:
    try:
        return _SERVICES[name]
    except KeyError:
        raise LookupError(f"no remote signing service registered as {name!r}") from None


def remote_service_names() -> list[str]:
    return sorted(_SERVICES)


class RemoteSigner(Signer):
    """pyHanko's Signer whose raw signature comes from a RemoteSigningService."""

    def __init__(self, service: RemoteSigningService):
        self.service = service
        cert = service.signing_cert()
        registry = SimpleCertificateStore.from_certs([cert, *service.chain()])
        super().__init__(signing_cert=cert, cert_registry=registry, embed_roots=True)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:  # pyHanko sizes the signature's placeholder first
            return bytes(2 * self.signing_cert.public_key.byte_size + 16)
        return self.service.sign(data, digest_algorithm)
