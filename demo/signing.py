"""Development only: a demo root CA and a demo certificate for each demo agency, made on first seed under var/.

So the receipts of a fresh `make run` come signed and /xac-thuc-van-ban/ has something to say. The keys are made on
this machine (never committed); `check --deploy` refuses a signer or a trusted root under SIGNATURES_DEMO_DIR.
"""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from procedures.models import Agency
from signatures.constants import SignerKind
from signatures.models import AgencySigner

ROOT_NAME = "Root CA thử nghiệm (chỉ dùng để phát triển)"


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])


def _certificate(subject, issuer, key, issuer_key, *, ca: bool, years: int) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    usage = dict(digital_signature=True, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
                 key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def _root(folder: Path):
    """The demo root CA: made once, kept in the folder."""
    key_file, cert_file = folder / "root.key.pem", folder / "root.pem"
    if key_file.exists() and cert_file.exists():
        return (serialization.load_pem_private_key(key_file.read_bytes(), None),
                x509.load_pem_x509_certificate(cert_file.read_bytes()))
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(ROOT_NAME, "Cổng Dịch vụ công (phát triển)")
    cert = _certificate(name, name, key, key, ca=True, years=20)
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def demo_signers_ensure() -> int:
    """Give each demo agency without a signer a demo certificate (PKCS#12 under var/); return how many were made."""
    folder = Path(settings.SIGNATURES_DEMO_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    root_key, root = _root(folder)
    made = 0
    for agency in Agency.objects.filter(signer__isnull=True).order_by("code"):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(_name(agency.name, "Cổng Dịch vụ công (phát triển)"), root.subject, key, root_key,
                            ca=False, years=3)
        path = folder / f"{agency.code}.p12"
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            agency.code.encode(), key, cert, [root], serialization.NoEncryption()))
        path.chmod(0o600)
        AgencySigner.objects.create(agency=agency, kind=SignerKind.FILE, key_path=str(path))
        made += 1
    return made
