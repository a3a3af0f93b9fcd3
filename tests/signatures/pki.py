"""The test PKI: keys made now, certomancer's CA, CRLs, OCSP and TSA served over HTTP on loopback."""

import threading
from dataclasses import dataclass
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import yaml
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CONFIG = Path(__file__).with_name("certomancer.yml")
# (architecture, certificate) → the key file the configuration gives it
KEY_FILES = {("portal-test", label): f"{label}.key.pem" for label in ("agency", "revoked", "expired")} | {
    ("stranger", "agency"): "stranger.key.pem"}


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def make_keys(folder: Path, config: dict) -> None:
    """A fresh RSA key for every key the configuration names (nothing is committed)."""
    for keyset in config["keysets"].values():
        for key in keyset["keys"].values():
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            (folder / key["path"]).write_bytes(private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@dataclass
class TestPKI:
    folder: Path
    url: str
    config: CertomancerConfig
    server: object

    def arch(self, name: str = "portal-test"):
        return self.config.get_pki_arch(name)

    def cert_pem(self, label: str, arch: str = "portal-test") -> bytes:
        from asn1crypto import pem

        return pem.armor("CERTIFICATE", self.arch(arch).get_cert(label).dump())

    def write_signer(self, label: str, arch: str = "portal-test", password: bytes | None = None) -> Path:
        """The agency's key and certificate as the operator would store them: a PKCS#12 file with its chain."""
        pki = self.arch(arch)
        chain = [c for c in pki.get_chain(label)]
        data = pki.package_pkcs12(label, certs_to_embed=chain, password=password)
        path = self.folder / f"{arch}-{label}.p12"
        path.write_bytes(data)
        return path

    def write_pem_signer(self, label: str, arch: str = "portal-test") -> tuple[Path, Path, Path]:
        """The same as a PEM key, a PEM certificate and a PEM chain of the CAs above it."""
        pki = self.arch(arch)
        key = self.folder / f"{arch}-{label}.key.pem"
        key.write_bytes((self.folder / KEY_FILES[(arch, label)]).read_bytes())
        cert = self.folder / f"{arch}-{label}.crt.pem"
        cert.write_bytes(self.cert_pem(label, arch))
        chain = self.folder / f"{arch}-{label}.chain.pem"
        chain.write_bytes(b"".join(self.cert_pem(c, arch) for c in pki.get_chain(label)))
        return key, cert, chain

    def write_roots(self, *archs: str) -> Path:
        """A file of trusted root certificates, as the operator configures it."""
        path = self.folder / f"roots-{'-'.join(archs)}.pem"
        path.write_bytes(b"".join(self.cert_pem("root", arch) for arch in archs))
        return path

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/portal-test/tsa/tsa"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def start_pki(folder: Path, port: int = 0) -> TestPKI:
    """Make the keys, load the configuration with them and serve its services on 127.0.0.1:`port` (by default a
    free port the system gives: the certificates name their OCSP and CRL addresses, so the port is taken first)."""
    raw = yaml.safe_load(CONFIG.read_text())
    make_keys(folder, raw)
    server = make_server("127.0.0.1", port, lambda environ, start_response: [], handler_class=_Quiet)
    port = server.server_port
    url = f"http://127.0.0.1:{port}"
    for keyset in raw["keysets"].values():
        keyset["path-prefix"] = str(folder)
    raw["external-url-prefix"] = url
    config = CertomancerConfig(raw, key_search_dir=str(folder))
    animator = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    server.set_app(animator)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return TestPKI(folder=folder, url=url, config=config, server=server)
